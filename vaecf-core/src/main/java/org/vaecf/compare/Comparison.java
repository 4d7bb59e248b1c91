package org.vaecf.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.vaecf.baseline.Ease;
import org.vaecf.baseline.EaseConfig;
import org.vaecf.baseline.EaseModel;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparedData;
import org.vaecf.eval.BatchScorer;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.Metric;
import org.vaecf.eval.PopularityScorer;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.ModelType;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;
import org.vaecf.train.TrainingListener;

/**
 * Fits contenders on one prepared split and measures each on the same test users with the same {@link Evaluator}:
 * Mult-VAE and Mult-DAE keep their best validation epoch, EASE its best validation λ, popularity needs no choice. So
 * differences come from the models alone, and the per-user values of two rows can be compared user by user.
 */
public final class Comparison {
  private final Function<ModelType, ModelConfig> modelConfigs;
  private final Function<ModelType, TrainConfig> trainConfigs;
  private final EaseConfig easeConfig;
  private final List<Metric> metrics;
  private final int threads;
  private final Function<Contender, TrainingListener> listeners;

  /**
   * @param modelConfigs the architecture of each autoencoder type
   * @param trainConfigs the training settings of each autoencoder type
   * @param easeConfig EASE's λ grid and precision
   * @param metrics the test metrics, in report order
   * @param threads threads for scoring and evaluation
   * @param listeners progress listener for each autoencoder's training (may return a no-op listener)
   */
  public Comparison(
      Function<ModelType, ModelConfig> modelConfigs,
      Function<ModelType, TrainConfig> trainConfigs,
      EaseConfig easeConfig,
      List<? extends Metric> metrics,
      int threads,
      Function<Contender, TrainingListener> listeners) {
    this.modelConfigs = Objects.requireNonNull(modelConfigs, "modelConfigs");
    this.trainConfigs = Objects.requireNonNull(trainConfigs, "trainConfigs");
    this.easeConfig = Objects.requireNonNull(easeConfig, "easeConfig");
    this.metrics = List.copyOf(metrics);
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be > 0, got " + threads);
    }
    this.threads = threads;
    this.listeners = Objects.requireNonNull(listeners, "listeners");
  }

  /** Fits and measures one contender on {@code data}. */
  public ComparisonRow run(PreparedData data, Contender contender) {
    return switch (contender) {
      case MULT_VAE, MULT_DAE -> autoencoder(data, contender);
      case EASE -> ease(data);
      case POPULARITY -> popularity(data);
    };
  }

  private ComparisonRow autoencoder(PreparedData data, Contender contender) {
    ModelType type = contender.modelType().orElseThrow();
    long started = System.nanoTime();
    TrainedModel model =
        new Trainer(modelConfigs.apply(type), trainConfigs.apply(type))
            .addListener(listeners.apply(contender))
            .train(data);
    double seconds = seconds(started);
    Map<String, Object> choices = new LinkedHashMap<>();
    choices.put("bestEpoch", model.training().bestEpoch());
    choices.put("validation", model.training().bestValidation());
    Blas.setThreads(threads);
    try (Parallel parallel = new Parallel(threads)) {
      ModelScorer scorer = new ModelScorer(model.newNetwork(Evaluator.DEFAULT_BATCH_SIZE, parallel));
      return new ComparisonRow(contender, test(data, scorer::score, scorer.capacity()), seconds, choices);
    }
  }

  private ComparisonRow ease(PreparedData data) {
    long started = System.nanoTime();
    EaseModel model = new Ease(easeConfig).fit(data);
    double seconds = seconds(started);
    Map<String, Object> choices = new LinkedHashMap<>();
    choices.put("lambda", model.lambda());
    model.trials().stream()
        .filter(t -> t.lambda() == model.lambda())
        .findFirst()
        .ifPresent(t -> choices.put("validation", t.validation()));
    return new ComparisonRow(Contender.EASE, test(data, model.scorer(), 1000), seconds, choices);
  }

  private ComparisonRow popularity(PreparedData data) {
    long started = System.nanoTime();
    PopularityScorer scorer = new PopularityScorer(data.train());
    double seconds = seconds(started);
    return new ComparisonRow(Contender.POPULARITY, test(data, scorer, 1000), seconds, Map.of());
  }

  private EvaluationResult test(PreparedData data, BatchScorer scorer, int batchSize) {
    HeldOutSet test = data.test();
    return Evaluator.builder(metrics)
        .batchSize(batchSize)
        .threads(threads)
        .build()
        .evaluate(scorer, test.foldIn(), test.heldOut());
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }
}
