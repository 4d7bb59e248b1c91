package org.vaecf.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.vaecf.model.TestModels;
import org.vaecf.model.TrainedModel;

/**
 * The recommender against an independent computation: logits from {@link org.vaecf.model.ModelScorer} (the
 * evaluation path), ranked here by a plain sort and turned into probabilities by a direct softmax.
 */
class RecommenderTest {
  private static final TrainedModel MODEL = TestModels.small(42);
  private static final int ITEMS = TestModels.SMALL_ITEMS;
  private static final Recommender RECOMMENDER = new Recommender(MODEL);

  @AfterAll
  static void close() {
    RECOMMENDER.close();
  }

  /** Raw id of column {@code index}. */
  private static String id(int index) {
    return "m" + (index + 1);
  }

  private static List<String> ids(int... indexes) {
    return IntStream.of(indexes).mapToObj(RecommenderTest::id).toList();
  }

  /** Item columns by logit, best first (ties by column), leaving out {@code skip}. */
  private static List<String> expectedRanking(float[] logits, Set<String> skip) {
    return IntStream.range(0, logits.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i))
        .map(RecommenderTest::id)
        .filter(item -> !skip.contains(item))
        .toList();
  }

  private static List<String> idsOf(Recommendation recommendation) {
    return recommendation.items().stream().map(ScoredItem::id).toList();
  }

  /**
   * The same answer up to float rounding: the same items in the same order, the same unknown ids, probabilities
   * equal to 1e-6 relative. A lone user's encoder products run as sgemv and a batch's as sgemm, which sum in different
   * orders (see {@link Recommender}), so answers given alone and in company agree to this precision, not bit for bit.
   */
  private static void assertSameAnswer(Recommendation actual, Recommendation expected, String what) {
    assertThat(idsOf(actual)).as(what).isEqualTo(idsOf(expected));
    assertThat(actual.unknownItems()).as(what).isEqualTo(expected.unknownItems());
    for (int i = 0; i < expected.items().size(); i++) {
      double score = expected.items().get(i).score();
      assertThat(actual.items().get(i).score()).as(what).isCloseTo(score, within(1e-6 * score));
    }
  }

  private static void assertSameAnswers(List<Recommendation> actual, List<Recommendation> expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertSameAnswer(actual.get(i), expected.get(i), what + ", answer " + i);
    }
  }

  // ---------------------------------------------------------------- fold-in and scores

  @Test
  void topKEqualsTheEvaluationPathWithHistoryExcluded() {
    int[][] histories = {{0}, {3, 17}, {1, 2, 5, 8, 13, 21, 29}, {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}};
    for (int[] history : histories) {
      float[] logits = TestModels.logits(MODEL, history);
      List<String> expected = expectedRanking(logits, Set.copyOf(ids(history))).subList(0, 10);

      Recommendation got = RECOMMENDER.recommend(ids(history), 10);

      assertThat(idsOf(got)).as("history %s", ids(history)).containsExactlyElementsOf(expected);
      assertThat(got.unknownItems()).isEmpty();
    }
  }

  @Test
  void historyOrderAndRepeatsDoNotMatter() {
    Recommendation sorted = RECOMMENDER.recommend(List.of("m2", "m9", "m14"), 10);
    Recommendation shuffled = RECOMMENDER.recommend(List.of("m14", "m2", "m9", "m2"), 10);
    assertThat(shuffled).isEqualTo(sorted);
  }

  @Test
  void scoresAreSoftmaxProbabilitiesOverAllItems() {
    int[] history = {4, 6, 20};
    float[] logits = TestModels.logits(MODEL, history);
    double max = Double.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (float logit : logits) {
      sum += Math.exp(logit - max);
    }

    Recommendation got =
        RECOMMENDER.recommend(RecommendationRequest.of(ids(history), ITEMS).withExcludeHistory(false));

    assertThat(got.items()).hasSize(ITEMS);
    double total = 0;
    double previous = 1.0;
    for (ScoredItem item : got.items()) {
      int column = Integer.parseInt(item.id().substring(1)) - 1;
      double expected = Math.exp(logits[column] - max) / sum;
      // the recommender's output product runs on a packed copy of the weight (ModelScorer.snapshot): float rounding
      assertThat(item.score()).as(item.id()).isCloseTo(expected, within(1e-6 * expected));
      assertThat(item.score()).isStrictlyBetween(0.0, 1.0).isLessThanOrEqualTo(previous);
      previous = item.score();
      total += item.score();
    }
    // the normaliser is summed with the float SIMD exp (a few ulp): the probabilities sum to 1 within float precision
    assertThat(total).isCloseTo(1.0, within(1e-6));
    assertThat(got.items().get(0).score()).isGreaterThan(got.items().get(ITEMS - 1).score());
  }

  // ---------------------------------------------------------------- determinism and batching

  @Test
  void recommendersOpenedAndClosedOneAfterAnotherReuseTheScoringThreads() {
    Recommendation expected = RECOMMENDER.recommend(List.of("m4", "m8"), 5);
    Set<Thread> scoringThreadsSeen = new java.util.HashSet<>();
    for (int round = 0; round < 6; round++) {
      try (Recommender next = new Recommender(MODEL, RecommenderSettings.defaults().withScorers(2))) {
        assertThat(next.recommend(List.of("m4", "m8"), 5)).isEqualTo(expected);
        Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith("vaecf-batcher"))
            .forEach(scoringThreadsSeen::add);
      }
    }
    // new threads for every recommender would make 1 + 6 × 2; reused ones make 3, plus one now and then when a
    // closed loop's thread is not back in the pool yet as the next recommender starts
    assertThat(scoringThreadsSeen).hasSizeBetween(3, 7);
  }

  @Test
  void sameRequestTwiceGivesIdenticalResults() {
    RecommendationRequest request = RecommendationRequest.of(List.of("m1", "m5", "m30"), 12);
    Recommendation first = RECOMMENDER.recommend(request);
    Recommendation second = RECOMMENDER.recommend(request);
    assertThat(second).isEqualTo(first);
    try (Recommender fresh = new Recommender(MODEL)) {
      assertThat(fresh.recommend(request)).isEqualTo(first);
    }
  }

  @Test
  void batchesLargerThanTheCapacityGiveTheSameAnswersAsSingleRequests() {
    SplittableRandom random = new SplittableRandom(9);
    List<RecommendationRequest> requests = new ArrayList<>();
    for (int r = 0; r < 10; r++) {
      requests.add(randomRequest(random));
    }
    List<Recommendation> alone = requests.stream().map(RECOMMENDER::recommend).toList();

    try (Recommender small = new Recommender(MODEL, RecommenderSettings.defaults().withMaxBatch(4))) {
      List<Recommendation> batched = small.recommendBatch(requests);
      assertSameAnswers(batched, alone, "capacity 4");
    }
    assertSameAnswers(RECOMMENDER.recommendBatch(requests), alone, "capacity 64");
  }

  // ---------------------------------------------------------------- exclusions and candidates

  @Test
  void historyIsExcludedByDefaultAndIncludedOnRequest() {
    List<String> history = List.of("m3", "m7", "m11");
    float[] logits = TestModels.logits(MODEL, 2, 6, 10);

    Recommendation excluded = RECOMMENDER.recommend(history, ITEMS);
    assertThat(idsOf(excluded)).hasSize(ITEMS - 3).doesNotContainAnyElementsOf(history);
    assertThat(idsOf(excluded)).containsExactlyElementsOf(expectedRanking(logits, Set.copyOf(history)));

    Recommendation included = RECOMMENDER.recommend(RecommendationRequest.of(history, ITEMS).withExcludeHistory(false));
    assertThat(idsOf(included)).hasSize(ITEMS).containsAll(history);
    assertThat(idsOf(included)).containsExactlyElementsOf(expectedRanking(logits, Set.of()));
  }

  @Test
  void excludedIdsAreNeverReturned() {
    List<String> history = List.of("m1", "m2");
    List<String> exclude = List.of("m10", "m2", "m20", "m25");
    float[] logits = TestModels.logits(MODEL, 0, 1);
    Set<String> skipped = Set.of("m1", "m2", "m10", "m20", "m25");

    Recommendation got = RECOMMENDER.recommend(RecommendationRequest.of(history, ITEMS).excluding(exclude));

    assertThat(idsOf(got)).hasSize(ITEMS - 5).doesNotContainAnyElementsOf(skipped);
    assertThat(idsOf(got)).containsExactlyElementsOf(expectedRanking(logits, skipped));

    Recommendation keepHistory =
        RECOMMENDER.recommend(RecommendationRequest.of(history, ITEMS).excluding(exclude).withExcludeHistory(false));
    assertThat(idsOf(keepHistory)).hasSize(ITEMS - 4).contains("m1").doesNotContain("m2", "m10", "m20", "m25");
  }

  @Test
  void candidatesRestrictTheResultInScoreOrder() {
    List<String> history = List.of("m4", "m5");
    float[] logits = TestModels.logits(MODEL, 3, 4);
    List<String> candidates = List.of("m30", "m1", "m15", "m16", "m2", "m9");
    List<String> candidateRanking =
        expectedRanking(logits, Set.of()).stream().filter(candidates::contains).toList();

    Recommendation top3 = RECOMMENDER.recommend(RecommendationRequest.of(history, 3).restrictedTo(candidates));
    assertThat(idsOf(top3)).containsExactlyElementsOf(candidateRanking.subList(0, 3));

    Recommendation all = RECOMMENDER.recommend(RecommendationRequest.of(history, 50).restrictedTo(candidates));
    assertThat(idsOf(all)).containsExactlyElementsOf(candidateRanking);

    // A candidate's score is its probability among all items, the same as without candidates.
    Recommendation unrestricted = RECOMMENDER.recommend(history, ITEMS);
    for (ScoredItem item : all.items()) {
      assertThat(unrestricted.items()).contains(item);
    }
  }

  @Test
  void candidatesThatAreExcludedAreDropped() {
    List<String> history = List.of("m4", "m5");
    float[] logits = TestModels.logits(MODEL, 3, 4);
    List<String> candidates = List.of("m4", "m6", "m7", "m8", "m9", "m5");
    List<String> expected =
        expectedRanking(logits, Set.of("m4", "m5", "m8")).stream().filter(candidates::contains).toList();

    Recommendation got =
        RECOMMENDER.recommend(
            RecommendationRequest.of(history, 10).restrictedTo(candidates).excluding(List.of("m8")));

    assertThat(idsOf(got)).containsExactlyElementsOf(expected).hasSize(3);

    Recommendation none =
        RECOMMENDER.recommend(RecommendationRequest.of(history, 10).restrictedTo(List.of("m4", "m5")));
    assertThat(none.items()).isEmpty();
  }

  // ---------------------------------------------------------------- unknown ids, empty history, large k

  @Test
  void unknownIdsAreReportedInRequestOrderWithoutRepeatsAndIgnored() {
    RecommendationRequest request =
        new RecommendationRequest(
            List.of("m1", "x1", "m2", "x1", "x2"), 5, List.of("x3", "m3", "x1"),
            Optional.of(List.of("x4", "m10", "x2", "m11", "m12", "m13", "m14", "x5")), true);
    RecommendationRequest known =
        new RecommendationRequest(
            List.of("m1", "m2"), 5, List.of("m3"), Optional.of(List.of("m10", "m11", "m12", "m13", "m14")), true);

    Recommendation got = RECOMMENDER.recommend(request);

    assertThat(got.unknownItems()).containsExactly("x1", "x2", "x3", "x4", "x5");
    assertThat(got.items()).isEqualTo(RECOMMENDER.recommend(known).items());
  }

  @Test
  void historyOfOnlyUnknownIdsFailsNamingThem() {
    NoKnownItemsException thrown =
        org.junit.jupiter.api.Assertions.assertThrows(
            NoKnownItemsException.class, () -> RECOMMENDER.recommend(List.of("zz-7", "zz-8"), 5));
    assertThat(thrown).hasMessage("none of the 2 given items is known to the model: zz-7, zz-8");
    assertThat(thrown.unknownItems()).containsExactly("zz-7", "zz-8");

    // In a batch, one such request fails the whole batch.
    assertThatThrownBy(
            () ->
                RECOMMENDER.recommendBatch(
                    List.of(RecommendationRequest.of(List.of("m1"), 3), RecommendationRequest.of(List.of("q"), 3))))
        .isInstanceOf(NoKnownItemsException.class)
        .hasMessageContaining(": q");
  }

  /**
   * An empty history is a user about whom nothing is known: the encoder sees the zero vector, so the answer is the
   * model's ranking for an empty input (one fixed list for every such user), with nothing excluded.
   */
  @Test
  void emptyHistoryGivesTheRankingOfTheEmptyInput() {
    float[] logits = TestModels.logits(MODEL);
    Recommendation got = RECOMMENDER.recommend(List.of(), 8);
    assertThat(idsOf(got)).containsExactlyElementsOf(expectedRanking(logits, Set.of()).subList(0, 8));
    assertThat(got.unknownItems()).isEmpty();
  }

  @Test
  void kLargerThanTheCatalogueReturnsEveryAllowedItem() {
    List<String> history = List.of("m6", "m16", "m26");
    float[] logits = TestModels.logits(MODEL, 5, 15, 25);
    List<String> expected = expectedRanking(logits, Set.copyOf(history));

    assertThat(idsOf(RECOMMENDER.recommend(history, 31))).containsExactlyElementsOf(expected);
    assertThat(idsOf(RECOMMENDER.recommend(history, Integer.MAX_VALUE))).containsExactlyElementsOf(expected);
    assertThat(
            idsOf(
                RECOMMENDER.recommend(
                    RecommendationRequest.of(history, Integer.MAX_VALUE).restrictedTo(List.of("m1", "m6", "m2")))))
        .containsExactlyElementsOf(expected.stream().filter(Set.of("m1", "m2")::contains).toList());
  }

  @Test
  void nonPositiveKIsRejected() {
    assertThatThrownBy(() -> RecommendationRequest.of(List.of("m1"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be > 0, got 0");
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void concurrentRequestsGetTheSequentialAnswers() throws Exception {
    int threads = 8;
    int perThread = 200;
    SplittableRandom random = new SplittableRandom(2018);
    List<List<RecommendationRequest>> work = new ArrayList<>();
    List<List<Recommendation>> expected = new ArrayList<>();
    try (Recommender recommender = new Recommender(MODEL, RecommenderSettings.defaults().withThreads(2).withScorers(2).withMaxBatch(16))) {
      for (int t = 0; t < threads; t++) {
        List<RecommendationRequest> requests = new ArrayList<>();
        for (int r = 0; r < perThread; r++) {
          requests.add(randomRequest(random));
        }
        work.add(requests);
        expected.add(requests.stream().map(recommender::recommend).toList());
      }

      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Recommendation>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<RecommendationRequest> requests = work.get(t);
          boolean batched = t % 2 == 1; // half the threads send batches of 7, the rest single requests
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<Recommendation> answers = new ArrayList<>();
                    if (batched) {
                      for (int from = 0; from < requests.size(); from += 7) {
                        answers.addAll(
                            recommender.recommendBatch(requests.subList(from, Math.min(requests.size(), from + 7))));
                      }
                    } else {
                      for (RecommendationRequest request : requests) {
                        answers.add(recommender.recommend(request));
                      }
                    }
                    return answers;
                  }));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
          assertSameAnswers(results.get(t).get(60, TimeUnit.SECONDS), expected.get(t), "thread " + t);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  // ---------------------------------------------------------------- micro-batching

  /**
   * Eight callers arrive within a long wait and a capacity of eight: the scoring thread must put all of them into one
   * product, and each must get the answer it gets alone.
   */
  @Test
  void concurrentCallersShareOneProductAndEachGetsItsOwnAnswer() throws Exception {
    int callers = 8;
    SplittableRandom random = new SplittableRandom(77);
    List<RecommendationRequest> requests = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      requests.add(randomRequest(random));
    }
    List<Recommendation> alone = requests.stream().map(RECOMMENDER::recommend).toList();
    List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    RecommenderSettings settings =
        RecommenderSettings.defaults()
            .withMaxBatch(callers)
            .withMaxWait(java.time.Duration.ofSeconds(20))
            .withObserver((users, nanos) -> batchSizes.add(users));

    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (Recommender batching = new Recommender(MODEL, settings)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Recommendation>> answers = new ArrayList<>();
      for (RecommendationRequest request : requests) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return batching.recommend(request);
                }));
      }
      start.countDown();
      for (int c = 0; c < callers; c++) {
        assertSameAnswer(answers.get(c).get(60, TimeUnit.SECONDS), alone.get(c), "caller " + c);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(batchSizes).containsExactly(callers);
  }

  /**
   * At the paper's widths a lone user's encoder products run as sgemv and a batch's as sgemm, which sum in different
   * orders: a user must still get the same items, with probabilities equal to float rounding.
   */
  @Test
  void atThePapersWidthsBatchedAnswersEqualLoneOnesToRounding() throws Exception {
    TrainedModel wide =
        TestModels.model(
            org.vaecf.model.ModelConfig.defaults(org.vaecf.model.ModelType.MULT_VAE), TestModels.itemIds(3000), 8);
    SplittableRandom random = new SplittableRandom(12);
    List<RecommendationRequest> requests = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      List<String> history =
          random.ints(5 + random.nextInt(100), 0, 3000).distinct().mapToObj(RecommenderTest::id).toList();
      requests.add(RecommendationRequest.of(history, 20));
    }
    try (Recommender recommender = new Recommender(wide)) {
      List<Recommendation> alone = requests.stream().map(recommender::recommend).toList();
      List<Recommendation> together = recommender.recommendBatch(requests);
      for (int r = 0; r < requests.size(); r++) {
        assertThat(idsOf(together.get(r))).as("request %d", r).isEqualTo(idsOf(alone.get(r)));
        for (int i = 0; i < 20; i++) {
          double expected = alone.get(r).items().get(i).score();
          assertThat(together.get(r).items().get(i).score()).isCloseTo(expected, within(1e-5 * expected));
        }
      }
    }
  }

  @Test
  void aLargeBatchIsScoredInProductsOfAtMostTheCapacity() {
    SplittableRandom random = new SplittableRandom(5);
    List<RecommendationRequest> requests = new ArrayList<>();
    for (int r = 0; r < 11; r++) {
      requests.add(randomRequest(random));
    }
    List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    RecommenderSettings settings =
        RecommenderSettings.defaults().withMaxBatch(4).withObserver((users, nanos) -> batchSizes.add(users));
    try (Recommender small = new Recommender(MODEL, settings)) {
      assertSameAnswers(
          small.recommendBatch(requests), requests.stream().map(RECOMMENDER::recommend).toList(), "capacity 4");
    }
    assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(11);
    assertThat(batchSizes.size()).isGreaterThanOrEqualTo(3);
  }

  /** A lone request is held for company for the configured wait, and no longer than needed to be scored alone. */
  @Test
  void aLoneRequestWaitsForCompanyAtMostTheConfiguredTime() {
    List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    RecommenderSettings settings =
        RecommenderSettings.defaults()
            .withMaxWait(java.time.Duration.ofMillis(300))
            .withObserver((users, nanos) -> batchSizes.add(users));
    try (Recommender waiting = new Recommender(MODEL, settings)) {
      long started = System.nanoTime();
      Recommendation got = waiting.recommend(List.of("m3", "m4"), 5);
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(got).isEqualTo(RECOMMENDER.recommend(List.of("m3", "m4"), 5));
      assertThat(elapsedMillis).isGreaterThanOrEqualTo(290);
    }
    assertThat(batchSizes).containsExactly(1);
  }

  @Test
  void aClosedRecommenderRefusesRequests() {
    Recommender closed = new Recommender(MODEL);
    closed.close();
    assertThatThrownBy(() -> closed.recommend(List.of("m1"), 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the recommender is closed");
  }

  /**
   * A scoring thread that dies (here its observer throws an {@link OutOfMemoryError} after the product) fails the
   * request it was scoring and every later one at once, and the recommender says why; nobody waits for it.
   */
  @Test
  void aRecommenderWhoseScoringThreadDiesFailsEveryRequestAtOnceAndSaysWhy() {
    OutOfMemoryError error = new OutOfMemoryError("test");
    RecommenderSettings settings =
        RecommenderSettings.defaults().withObserver((users, nanos) -> {
          throw error;
        });
    try (Recommender failing = new Recommender(MODEL, settings)) {
      assertThat(failing.failure()).isEmpty();
      assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
        assertThatThrownBy(() -> failing.recommend(List.of("m1", "m2"), 3))
            .isInstanceOf(RecommenderFailedException.class)
            .hasCause(error);
        assertThatThrownBy(
                () -> failing.recommendBatch(
                    List.of(RecommendationRequest.of(List.of("m3"), 3), RecommendationRequest.of(List.of("m4"), 3))))
            .isInstanceOf(RecommenderFailedException.class)
            .hasMessageEndingWith("java.lang.OutOfMemoryError: test");
      });
      assertThat(failing.failure()).containsSame(error);
    }
    assertThat(RECOMMENDER.failure()).isEmpty();
  }

  /** A request with a random history of 1–8 items, k in [1, 15], and sometimes exclusions or candidates. */
  private static RecommendationRequest randomRequest(SplittableRandom random) {
    List<String> history =
        random.ints(1 + random.nextInt(8), 0, ITEMS).distinct().mapToObj(RecommenderTest::id).toList();
    RecommendationRequest request = RecommendationRequest.of(history, 1 + random.nextInt(15));
    if (random.nextInt(3) == 0) {
      request = request.excluding(random.ints(3, 0, ITEMS).mapToObj(RecommenderTest::id).toList());
    }
    if (random.nextInt(4) == 0) {
      request =
          request.restrictedTo(
              random.ints(10, 0, ITEMS).mapToObj(RecommenderTest::id).collect(Collectors.toList()));
    }
    if (random.nextInt(5) == 0) {
      request = request.withExcludeHistory(false);
    }
    return request;
  }
}
