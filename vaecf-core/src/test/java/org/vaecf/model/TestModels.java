package org.vaecf.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.linalg.Parallel;

/**
 * Small {@link TrainedModel}s for tests that need a model but not a trained one: randomly initialised weights (the
 * network's own initialisation, so every tensor is non-trivial and distinct) and a hand-made training record.
 */
public final class TestModels {
  /** The architecture of {@link #small}: Mult-VAE {@code [30 → 16 → 2·8]}, {@code [8 → 16 → 30]}. */
  public static final ModelConfig SMALL_CONFIG = new ModelConfig(ModelType.MULT_VAE, List.of(16), 8, 0.5f);
  /** Number of items of {@link #small}. */
  public static final int SMALL_ITEMS = 30;

  private TestModels() {}

  /** Item ids {@code m1 .. m<count>}, so that id {@code m<i+1>} has column {@code i}. */
  public static IdIndex itemIds(int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      ids.add("m" + i);
    }
    return IdIndex.of(ids);
  }

  /** A {@link #SMALL_CONFIG} model over {@link #itemIds itemIds(30)} initialised from {@code seed}. */
  public static TrainedModel small(long seed) {
    return model(SMALL_CONFIG, itemIds(SMALL_ITEMS), seed);
  }

  /** A model of {@code config} over {@code items}, initialised from {@code seed}, with {@link #record}. */
  public static TrainedModel model(ModelConfig config, IdIndex items, long seed) {
    ModelWeights weights;
    try (Parallel parallel = new Parallel(1)) {
      weights = Autoencoder.initialize(config, items.size(), 4, seed, parallel).snapshot();
    }
    return new TrainedModel(config, items, weights, record(seed));
  }

  /**
   * A training record with JSON-native settings values (int, double, string, boolean; a JSON round trip would turn a
   * {@code long} or {@code float} into an {@code Integer} or {@code Double}), three epochs of history with the best
   * in the middle, and a NaN validation in the last epoch and — via {@code bestValidation} — nowhere else.
   */
  public static TrainingRecord record(long seed) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("epochs", 3);
    settings.put("batchSize", 500);
    settings.put("learningRate", 0.001);
    settings.put("totalAnnealSteps", "auto");
    settings.put("shuffle", true);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("users", 120);
    data.put("source", "hand-made");
    List<EpochRecord> history =
        List.of(
            new EpochRecord(1, 812.5, 800.25, 12.25, 0.01, 0.125, 1.5, 0.001, 10),
            new EpochRecord(2, 640.0, 630.5, 9.5, 0.02, 0.25, 1.25, 0.001, 20),
            new EpochRecord(3, 600.0, 590.0, 10.0, 0.03, Double.NaN, 1.0, 0.001, 30));
    return new TrainingRecord(
        seed, 2, settings, data, "ndcg@100", 2, 0.25, history, "2018-04-23T12:00:00Z", "test");
  }

  /** Prediction-mode logits of {@code model} for one user with the given item columns (a copy, items long). */
  public static float[] logits(TrainedModel model, int... history) {
    try (Parallel parallel = new Parallel(1)) {
      ModelScorer scorer = new ModelScorer(model.newNetwork(1, parallel));
      CsrMatrix row = new CsrMatrix.Builder(model.items().size()).addRow(history).build();
      FloatBuffer scores = scorer.score(row);
      float[] copy = new float[model.items().size()];
      scores.get(0, copy);
      return copy;
    }
  }
}
