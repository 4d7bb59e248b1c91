package org.vaecf.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.vaecf.eval.Metric;
import org.vaecf.eval.Ndcg;
import org.vaecf.model.ModelType;

/**
 * How to train, with the paper's defaults. Immutable; build with {@link #builder(ModelType)}, whose defaults depend on
 * the model only through λ (0 for Mult-VAE, 0.01 for the notebook's Mult-DAE).
 *
 * @param epochs passes over the training users. Paper: 200
 * @param batchSize users per step. Paper: 500
 * @param adam optimiser settings. Paper: lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8
 * @param l2 λ of the penalty {@code λ·Σ W²} over weight matrices, added to every batch's loss. Paper: 0 (Mult-VAE),
 *     0.01 (Mult-DAE)
 * @param annealCap the largest KL weight β. Paper: 0.2
 * @param totalAnnealSteps steps over which β would reach 1; empty means {@code auto}: the cap is reached after 80% of
 *     the planned steps. Paper (ML-20M): 200,000
 * @param seed seed of initialisation, shuffling and training noise
 * @param threads threads for BLAS and the elementwise loops; results are reproducible for a given seed and count
 * @param validationMetric metric that picks the best epoch. Paper: NDCG@100
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    AdamSettings adam,
    float l2,
    double annealCap,
    OptionalLong totalAnnealSteps,
    long seed,
    int threads,
    Metric validationMetric) {
  /** Paper: 200 epochs. */
  public static final int PAPER_EPOCHS = 200;
  /** Paper: 500 users per batch. */
  public static final int PAPER_BATCH_SIZE = 500;
  /** Paper: β capped at 0.2. */
  public static final double PAPER_ANNEAL_CAP = 0.2;
  /** Paper: β would reach 1 after 200,000 steps on ML-20M. */
  public static final long PAPER_TOTAL_ANNEAL_STEPS = 200_000;
  /** The notebook's seed. */
  public static final long DEFAULT_SEED = 98765;

  public TrainConfig {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be > 0, got " + epochs);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (adam == null) {
      throw new IllegalArgumentException("adam settings are required");
    }
    if (!(l2 >= 0f) || Float.isInfinite(l2)) {
      throw new IllegalArgumentException("l2 (lam) must be >= 0, got " + l2);
    }
    if (!(annealCap >= 0) || Double.isInfinite(annealCap)) {
      throw new IllegalArgumentException("annealCap must be >= 0, got " + annealCap);
    }
    if (totalAnnealSteps.isPresent() && totalAnnealSteps.getAsLong() <= 0) {
      throw new IllegalArgumentException("totalAnnealSteps must be > 0, got " + totalAnnealSteps.getAsLong());
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be > 0, got " + threads);
    }
    if (validationMetric == null) {
      throw new IllegalArgumentException("validationMetric is required");
    }
  }

  /** A builder with the paper's defaults for {@code type}. */
  public static Builder builder(ModelType type) {
    return new Builder(type);
  }

  /** The anneal schedule for a run of {@code plannedSteps} steps. */
  public AnnealSchedule annealSchedule(long plannedSteps) {
    return totalAnnealSteps.isPresent()
        ? new AnnealSchedule(annealCap, totalAnnealSteps.getAsLong())
        : AnnealSchedule.auto(annealCap, plannedSteps);
  }

  /** The settings by name, as recorded in {@code model.json}. */
  public Map<String, Object> describe() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("epochs", epochs);
    settings.put("batchSize", batchSize);
    settings.put("learningRate", adam.learningRate());
    settings.put("adamBeta1", adam.beta1());
    settings.put("adamBeta2", adam.beta2());
    settings.put("adamEpsilon", adam.epsilon());
    settings.put("lam", l2);
    settings.put("annealCap", annealCap);
    settings.put("totalAnnealSteps", totalAnnealSteps.isPresent() ? totalAnnealSteps.getAsLong() : "auto");
    settings.put("seed", seed);
    settings.put("threads", threads);
    settings.put("validationMetric", validationMetric.name());
    return settings;
  }

  /** Collects settings; every setter validates when {@link #build()} is called. */
  public static final class Builder {
    private int epochs = PAPER_EPOCHS;
    private int batchSize = PAPER_BATCH_SIZE;
    private AdamSettings adam = AdamSettings.PAPER;
    private float l2;
    private double annealCap = PAPER_ANNEAL_CAP;
    private OptionalLong totalAnnealSteps = OptionalLong.empty();
    private long seed = DEFAULT_SEED;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Metric validationMetric = new Ndcg(100);

    private Builder(ModelType type) {
      this.l2 = type == ModelType.MULT_DAE ? 0.01f : 0f;
    }

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder learningRate(float value) {
      adam = adam.withLearningRate(value);
      return this;
    }

    public Builder adam(AdamSettings value) {
      adam = value;
      return this;
    }

    public Builder l2(float value) {
      l2 = value;
      return this;
    }

    public Builder annealCap(double value) {
      annealCap = value;
      return this;
    }

    /** Steps over which β would reach 1; {@code empty} for auto. */
    public Builder totalAnnealSteps(OptionalLong value) {
      totalAnnealSteps = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder threads(int value) {
      threads = value;
      return this;
    }

    public Builder validationMetric(Metric value) {
      validationMetric = value;
      return this;
    }

    /** The validated configuration. */
    public TrainConfig build() {
      return new TrainConfig(
          epochs, batchSize, adam, l2, annealCap, totalAnnealSteps, seed, threads, validationMetric);
    }
  }
}
