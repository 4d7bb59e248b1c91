package org.vaecf.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.vaecf.data.IdIndex;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;

/**
 * Recommends items for any user given their history, by fold-in: the history goes through the encoder in prediction
 * mode (µ only, no dropout), so a brand-new user needs no retraining and the same history always gets the same
 * answer. This is the computation of the evaluation path, with the output product done on the scorer's own copy of
 * its weight ({@link ModelScorer#snapshot}: packed for small batches, faster), so logits agree with it to float
 * rounding.
 *
 * <p>Thread-safe. Concurrent calls are micro-batched (see {@link RecommenderSettings}): one scoring thread owns the
 * prediction network and scores every waiting user in one matrix product; each caller then ranks its own row. A
 * user's answer does not depend on who else was in the batch, with one caveat of float arithmetic: the encoder's
 * products run through OpenBLAS, as sgemv for a user scored alone and as sgemm for a batch, which sum in different
 * orders, so the same user's probabilities may differ in the last bits (about 1e-7 relative) between the two, and
 * two items whose scores are that close may swap. (The output product itself sums every logit in one fixed order
 * whatever the batch.) The recommender never sees training data.
 */
public final class Recommender implements AutoCloseable {
  private final TrainedModel model;
  private final IdIndex items;
  private final Parallel parallel;
  private final MicroBatcher batcher;

  /** A recommender over {@code model} with {@link RecommenderSettings#defaults()}. */
  public Recommender(TrainedModel model) {
    this(model, RecommenderSettings.defaults());
  }

  /** A recommender over {@code model} scheduled by {@code settings}. */
  public Recommender(TrainedModel model, RecommenderSettings settings) {
    this.model = Objects.requireNonNull(model, "model");
    this.items = model.items();
    this.parallel = Parallel.shared(settings.threads()); // threads outlive the model: see Parallel.shared
    List<MicroBatcher.Scorer> scorers = new ArrayList<>(settings.scorers());
    for (int s = 0; s < settings.scorers(); s++) {
      ModelScorer scorer = ModelScorer.snapshot(model.newNetwork(settings.maxBatch(), parallel));
      scorer.warmUp(); // the first requests of a fresh JVM would otherwise wait for the JIT (0.4 s and more)
      scorers.add(MicroBatcher.Scorer.of(scorer));
    }
    this.batcher = new MicroBatcher(scorers, settings);
  }

  /** The model recommended from. */
  public TrainedModel model() {
    return model;
  }

  /** The top {@code k} items for a user with history {@code history}, history excluded. */
  public Recommendation recommend(List<String> history, int k) {
    return recommend(RecommendationRequest.of(history, k));
  }

  /**
   * Answers one request. An empty history is allowed: the encoder then sees the zero vector, so every such user gets
   * the same list, the model's ranking for a user about whom nothing is known, with nothing excluded but
   * {@code exclude}.
   *
   * @throws NoKnownItemsException if the history is non-empty and no item of it is known
   * @throws RecommenderFailedException if the recommender has stopped scoring (see {@link #failure()})
   * @throws IllegalStateException if the recommender is closed
   */
  public Recommendation recommend(RecommendationRequest request) {
    return recommendBatch(List.of(request)).get(0);
  }

  /**
   * Answers many requests; results are in request order. The requests join the same queue as concurrent single
   * calls, so a large batch is scored in products of up to the batch capacity.
   *
   * @throws NoKnownItemsException if some request's history is non-empty and no item of it is known (then nothing is
   *     scored)
   * @throws RecommenderFailedException if the recommender has stopped scoring (see {@link #failure()})
   * @throws IllegalStateException if the recommender is closed
   */
  public List<Recommendation> recommendBatch(List<RecommendationRequest> requests) {
    List<Resolved> resolved = new ArrayList<>(requests.size());
    List<int[]> histories = new ArrayList<>(requests.size());
    for (RecommendationRequest request : requests) {
      Resolved r = resolve(request);
      resolved.add(r);
      histories.add(r.history);
    }
    List<float[]> logits = batcher.score(histories);
    List<Recommendation> answers = new ArrayList<>(requests.size());
    for (int i = 0; i < resolved.size(); i++) {
      answers.add(answer(resolved.get(i), logits.get(i)));
      batcher.recycle(logits.get(i));
    }
    return answers;
  }

  private Recommendation answer(Resolved request, float[] logits) {
    Ranking.Ranked ranked = Ranking.rank(logits, items.size(), request.excluded, request.candidates, request.k);
    List<ScoredItem> list = new ArrayList<>(ranked.items().length);
    for (int i = 0; i < ranked.items().length; i++) {
      list.add(new ScoredItem(items.rawId(ranked.items()[i]), ranked.scores()[i]));
    }
    return new Recommendation(list, request.unknown);
  }

  private Resolved resolve(RecommendationRequest request) {
    Set<String> unknown = new LinkedHashSet<>();
    int[] history = indexes(request.items(), unknown);
    if (history.length == 0 && !request.items().isEmpty()) {
      throw new NoKnownItemsException(request.items());
    }
    int[] excluded = indexes(request.exclude(), unknown);
    if (request.excludeHistory()) {
      excluded = union(excluded, history);
    }
    int[] candidates = request.candidates().isPresent() ? indexes(request.candidates().get(), unknown) : null;
    return new Resolved(history, excluded, candidates, request.k(), List.copyOf(unknown));
  }

  /** Sorted distinct indexes of the known ids; unknown ids are added to {@code unknown}. */
  private int[] indexes(List<String> ids, Set<String> unknown) {
    int[] found = new int[ids.size()];
    int count = 0;
    for (String id : ids) {
      OptionalInt index = items.indexOf(id);
      if (index.isPresent()) {
        found[count++] = index.getAsInt();
      } else {
        unknown.add(id);
      }
    }
    return sortedDistinct(found, count);
  }

  private static int[] union(int[] a, int[] b) {
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return sortedDistinct(both, both.length);
  }

  /** The distinct values of {@code values[0..count)}, ascending (sorts {@code values} in place). */
  private static int[] sortedDistinct(int[] values, int count) {
    Arrays.sort(values, 0, count);
    int distinct = 0;
    for (int i = 0; i < count; i++) {
      if (distinct == 0 || values[i] != values[distinct - 1]) {
        values[distinct++] = values[i];
      }
    }
    return Arrays.copyOf(values, distinct);
  }

  /**
   * What stopped this recommender, if anything: an {@link Error} such as {@link OutOfMemoryError} on a scoring thread,
   * or a scoring thread that ended otherwise than by {@link #close()}. Once present, every request fails at once with
   * a {@link RecommenderFailedException} holding it, and only a new recommender serves again; a service should report
   * itself unhealthy. (An exception thrown while scoring one batch fails that batch's requests only, and does not show
   * here.) Empty while the recommender serves, and after a plain {@link #close()}.
   */
  public Optional<Throwable> failure() {
    return batcher.failure();
  }

  /** Stops the scoring thread; calls still waiting fail with an {@link IllegalStateException}. */
  @Override
  public void close() {
    batcher.close(); // the threads of Parallel.shared stay for the next recommender
  }

  /** A request with ids turned into sorted item indexes. */
  private record Resolved(int[] history, int[] excluded, int[] candidates, int k, List<String> unknown) {}
}
