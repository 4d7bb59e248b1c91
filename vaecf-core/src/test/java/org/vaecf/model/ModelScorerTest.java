package org.vaecf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Parallel;

/**
 * Both kinds of snapshot scorer — the packed output of small capacities and the transposed one of large
 * capacities — give the live network's logits to float rounding, split over threads or not, and a warm-up leaves
 * them unchanged.
 */
class ModelScorerTest {
  private static final int ITEMS = 203; // not a multiple of any panel width: the last panel is narrow
  private static final TrainedModel MODEL =
      TestModels.model(ModelConfig.defaults(ModelType.MULT_VAE), TestModels.itemIds(ITEMS), 17);

  private static CsrMatrix users(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    CsrMatrix.Builder rows = new CsrMatrix.Builder(ITEMS);
    for (int u = 0; u < count; u++) {
      rows.addRow(random.ints(1 + random.nextInt(40), 0, ITEMS).distinct().sorted().toArray());
    }
    return rows.build();
  }

  private static float[] copy(FloatBuffer logits, int rows) {
    float[] values = new float[rows * ITEMS];
    logits.get(0, values);
    return values;
  }

  private static float[] live(CsrMatrix users) {
    try (Parallel parallel = new Parallel(1);
        ModelScorer scorer = new ModelScorer(MODEL.newNetwork(users.rows(), parallel))) {
      return copy(scorer.score(users), users.rows());
    }
  }

  private static void assertCloseTo(float[] actual, float[] expected, String what) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      float tolerance = 1e-4f + 1e-5f * Math.abs(expected[i]);
      assertThat(actual[i]).as("%s, entry %d", what, i).isCloseTo(expected[i], within(tolerance));
    }
  }

  @Test
  void packedAndTransposedSnapshotsGiveTheLiveLogitsToRounding() {
    CsrMatrix users = users(11, 1);
    float[] expected = live(users);
    for (int capacity : new int[] {11, ModelScorer.PANEL_MAX_BATCH, ModelScorer.PANEL_MAX_BATCH + 1}) {
      for (int threads : new int[] {1, 2}) {
        try (Parallel parallel = new Parallel(threads);
            ModelScorer scorer = ModelScorer.snapshot(MODEL.newNetwork(capacity, parallel))) {
          assertCloseTo(copy(scorer.score(users), users.rows()), expected,
              "capacity " + capacity + ", " + threads + " threads");
        }
      }
    }
  }

  @Test
  void thePackedProductGivesTheSameBitsOnOneThreadOrTwo() {
    CsrMatrix users = users(13, 2);
    float[] one;
    try (Parallel parallel = new Parallel(1);
        ModelScorer scorer = ModelScorer.snapshot(MODEL.newNetwork(16, parallel))) {
      one = copy(scorer.score(users), users.rows());
    }
    try (Parallel parallel = new Parallel(2);
        ModelScorer scorer = ModelScorer.snapshot(MODEL.newNetwork(16, parallel))) {
      assertThat(copy(scorer.score(users), users.rows())).isEqualTo(one);
    }
  }

  @Test
  void aWarmUpLeavesTheScoresAsTheyWere() {
    CsrMatrix users = users(5, 3);
    try (Parallel parallel = new Parallel(1);
        ModelScorer scorer = ModelScorer.snapshot(MODEL.newNetwork(8, parallel))) {
      float[] before = copy(scorer.score(users), users.rows());
      scorer.warmUp();
      assertThat(copy(scorer.score(users), users.rows())).isEqualTo(before);
    }
  }
}
