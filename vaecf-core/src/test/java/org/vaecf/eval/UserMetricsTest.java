package org.vaecf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-user metrics on hand-built rankings; every expected number is worked out in the comment beside it.
 *
 * <p>Main example: 5 items, relevant {1, 3}, ranking [3, 0, 1, 4, 2], so hits at ranks 1 and 3.
 * log2 2 = 1, log2 3 = 1.5849625007, log2 4 = 2, log2 5 = 2.3219280949.
 */
class UserMetricsTest {
  private static final double EXACT = 1e-12;
  private static final int[] RANKING = {3, 0, 1, 4, 2};
  private static final int[] RELEVANT = {1, 3};

  /** The hit pattern of {@code ranking} against {@code relevant}. */
  static boolean[] hits(int[] ranking, int... relevant) {
    boolean[] hits = new boolean[ranking.length];
    for (int r = 0; r < ranking.length; r++) {
      int item = ranking[r];
      hits[r] = Arrays.stream(relevant).anyMatch(x -> x == item);
    }
    return hits;
  }

  private static double value(UserMetric metric, int[] ranking, int... relevant) {
    return metric.value(hits(ranking, relevant), ranking.length, relevant.length);
  }

  @Nested
  class NdcgTest {
    @Test
    void hitsAtRanksOneAndThree() {
      // DCG@3 = 1/log2 2 + 1/log2 4 = 1.5; IDCG@3 = 1/log2 2 + 1/log2 3 = 1.6309297536 (2 relevant < k)
      // NDCG@3 = 1.5 / 1.6309297536 = 0.9197207891
      assertThat(value(new Ndcg(3), RANKING, RELEVANT)).isCloseTo(0.9197207891481876, within(EXACT));
      // k = 5 adds no hit and no ideal term (only 2 relevant): same value
      assertThat(value(new Ndcg(5), RANKING, RELEVANT)).isCloseTo(0.9197207891481876, within(EXACT));
      // k = 1: DCG = 1, IDCG = 1
      assertThat(value(new Ndcg(1), RANKING, RELEVANT)).isEqualTo(1.0);
    }

    @Test
    void moreRelevantThanK() {
      // relevant {0,1,2,3}, ranking [4,0,...], k = 2: DCG = 1/log2 3 = 0.6309297536;
      // IDCG over min(2, 4) = 2 ranks = 1 + 0.6309297536; NDCG = 0.6309297536 / 1.6309297536 = 0.3868528072
      assertThat(value(new Ndcg(2), new int[] {4, 0, 1, 2, 3}, 0, 1, 2, 3))
          .isCloseTo(0.38685280723454163, within(EXACT));
      // relevant {0..5}, ranking [0,9,1,2], k = 4: DCG = 1 + 1/2 + 1/log2 5 = 1.9306765581;
      // IDCG = 1 + 0.6309297536 + 0.5 + 0.4306765581 = 2.5616063117; NDCG = 0.7536976113
      assertThat(value(new Ndcg(4), new int[] {0, 9, 1, 2}, 0, 1, 2, 3, 4, 5))
          .isCloseTo(0.75369761125927, within(EXACT));
    }

    @Test
    void hitsOnlyBeyondTheCutoffCountForLargerK() {
      // ranking [0,4,1,3,2], relevant {1,3}: hits at ranks 3 and 4
      int[] late = {0, 4, 1, 3, 2};
      assertThat(value(new Ndcg(2), late, RELEVANT)).isEqualTo(0.0);
      // k = 5: DCG = 1/log2 4 + 1/log2 5 = 0.5 + 0.4306765581 = 0.9306765581; / 1.6309297536 = 0.5706417190
      assertThat(value(new Ndcg(5), late, RELEVANT)).isCloseTo(0.5706417189553201, within(EXACT));
    }

    @Test
    void perfectRankingScoresOne() {
      assertThat(value(new Ndcg(3), new int[] {1, 3, 0}, RELEVANT)).isCloseTo(1.0, within(EXACT));
    }

    @Test
    void noRelevantItemsGivesZero() {
      assertThat(value(new Ndcg(3), RANKING)).isEqualTo(0.0);
    }
  }

  @Nested
  class RecallTest {
    @Test
    void dividesByTheSmallerOfKAndRelevant() {
      // k = 3: 2 hits / min(3, 2) = 1
      assertThat(value(new Recall(3), RANKING, RELEVANT)).isEqualTo(1.0);
      // k = 2: 1 hit / min(2, 2) = 0.5
      assertThat(value(new Recall(2), RANKING, RELEVANT)).isEqualTo(0.5);
      // k = 1: 1 hit / min(1, 2) = 1 — RankSys/Spark would give 1/2 here
      assertThat(value(new Recall(1), RANKING, RELEVANT)).isEqualTo(1.0);
    }

    @Test
    void moreRelevantThanK() {
      // relevant {0,1,2,3}, ranking [4,0,1,...], k = 2: 1 hit / min(2, 4) = 0.5 (not 1/4)
      assertThat(value(new Recall(2), new int[] {4, 0, 1, 2, 3}, 0, 1, 2, 3)).isEqualTo(0.5);
    }

    @Test
    void noHitsAndNoRelevant() {
      assertThat(value(new Recall(2), new int[] {0, 4, 1, 3, 2}, RELEVANT)).isEqualTo(0.0);
      assertThat(value(new Recall(2), RANKING)).isEqualTo(0.0);
    }
  }

  @Nested
  class PrecisionTest {
    @Test
    void dividesByK() {
      assertThat(value(new Precision(3), RANKING, RELEVANT)).isCloseTo(2.0 / 3.0, within(EXACT)); // 2 hits / 3
      assertThat(value(new Precision(5), RANKING, RELEVANT)).isEqualTo(0.4); // 2 / 5
      assertThat(value(new Precision(1), RANKING, RELEVANT)).isEqualTo(1.0); // 1 / 1
    }

    @Test
    void shortRankingStillDividesByK() {
      // only 2 items could be ranked, both relevant; precision@4 = 2 / 4
      assertThat(new Precision(4).value(new boolean[] {true, true}, 2, 2)).isEqualTo(0.5);
    }

    @Test
    void moreRelevantThanKNoHitsNoRelevant() {
      assertThat(value(new Precision(2), new int[] {4, 0, 1}, 0, 1, 2, 3)).isEqualTo(0.5); // 1 / 2
      assertThat(value(new Precision(2), new int[] {0, 4, 1, 3, 2}, RELEVANT)).isEqualTo(0.0);
      assertThat(value(new Precision(2), RANKING)).isEqualTo(0.0);
    }
  }

  @Nested
  class HitRateTest {
    @Test
    void oneWhenAnyHitIsWithinK() {
      assertThat(value(new HitRate(1), RANKING, RELEVANT)).isEqualTo(1.0);
      int[] late = {0, 4, 1, 3, 2}; // first hit at rank 3
      assertThat(value(new HitRate(2), late, RELEVANT)).isEqualTo(0.0);
      assertThat(value(new HitRate(3), late, RELEVANT)).isEqualTo(1.0);
      assertThat(value(new HitRate(2), new int[] {4, 0}, 0, 1, 2, 3)).isEqualTo(1.0);
      assertThat(value(new HitRate(3), RANKING)).isEqualTo(0.0);
    }
  }

  @Nested
  class MrrTest {
    @Test
    void reciprocalOfTheFirstHitRankWithinK() {
      assertThat(value(new Mrr(3), RANKING, RELEVANT)).isEqualTo(1.0); // first hit at rank 1
      int[] late = {0, 4, 1, 3, 2}; // first hit at rank 3
      assertThat(value(new Mrr(3), late, RELEVANT)).isCloseTo(1.0 / 3.0, within(EXACT));
      assertThat(value(new Mrr(100), late, RELEVANT)).isCloseTo(1.0 / 3.0, within(EXACT));
      assertThat(value(new Mrr(2), late, RELEVANT)).isEqualTo(0.0); // the hit is beyond the cutoff
      assertThat(value(new Mrr(2), new int[] {4, 0}, 0, 1, 2, 3)).isEqualTo(0.5);
      assertThat(value(new Mrr(3), RANKING)).isEqualTo(0.0);
    }
  }

  @Nested
  class MeanAveragePrecisionTest {
    @Test
    void averagesPrecisionAtEachHit() {
      // hits at ranks 1 and 3: precision@1 = 1, precision@3 = 2/3; (1 + 2/3) / min(3, 2) = 0.8333
      assertThat(value(new MeanAveragePrecision(3), RANKING, RELEVANT)).isCloseTo(5.0 / 6.0, within(EXACT));
      // k = 2: only the hit at rank 1; 1 / min(2, 2) = 0.5
      assertThat(value(new MeanAveragePrecision(2), RANKING, RELEVANT)).isEqualTo(0.5);
      // ranking [0,4,1,3,2], k = 5: hits at ranks 3 and 4: (1/3 + 2/4) / 2 = 0.4166667
      assertThat(value(new MeanAveragePrecision(5), new int[] {0, 4, 1, 3, 2}, RELEVANT))
          .isCloseTo(0.41666666666666663, within(EXACT));
    }

    @Test
    void moreRelevantThanK() {
      // relevant {0..5}, ranking [0,9,1,2], k = 4: (1/1 + 2/3 + 3/4) / min(4, 6) = 2.4166667 / 4 = 0.6041667
      assertThat(value(new MeanAveragePrecision(4), new int[] {0, 9, 1, 2}, 0, 1, 2, 3, 4, 5))
          .isCloseTo(0.6041666666666666, within(EXACT));
    }

    @Test
    void noHitsAndNoRelevant() {
      assertThat(value(new MeanAveragePrecision(2), new int[] {0, 4, 1, 3, 2}, RELEVANT)).isEqualTo(0.0);
      assertThat(value(new MeanAveragePrecision(2), RANKING)).isEqualTo(0.0);
    }
  }

  static List<IntFunction<UserMetric>> factories() {
    return List.of(Ndcg::new, Recall::new, Precision::new, HitRate::new, Mrr::new, MeanAveragePrecision::new);
  }

  @ParameterizedTest
  @MethodSource("factories")
  void kMustBePositive(IntFunction<UserMetric> factory) {
    assertThatThrownBy(() -> factory.apply(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be > 0, got 0");
  }

  @ParameterizedTest
  @MethodSource("factories")
  void rankingShorterThanKCountsOnlyWhatIsThere(IntFunction<UserMetric> factory) {
    // a 2-item list with one hit behaves as if the missing ranks were misses
    UserMetric metric = factory.apply(10);
    double shortList = metric.value(new boolean[] {false, true}, 2, 3);
    double padded = metric.value(new boolean[] {false, true, false, false, false, false, false, false, false, false},
        10, 3);
    assertThat(shortList).isEqualTo(padded);
  }

  @ParameterizedTest
  @MethodSource("factories")
  void lengthBeyondTheHitArrayIsRejected(IntFunction<UserMetric> factory) {
    assertThatThrownBy(() -> factory.apply(3).value(new boolean[2], 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length must be in [0, 2], got 3");
  }

  @Test
  void namesCarryTheCutoff() {
    assertThat(List.of(new Ndcg(100), new Recall(20), new Precision(10), new HitRate(10), new Mrr(100),
            new MeanAveragePrecision(100), new CatalogueCoverage(100)))
        .extracting(Metric::name)
        .containsExactly("ndcg@100", "recall@20", "precision@10", "hitrate@10", "mrr@100", "map@100",
            "coverage@100");
  }
}
