package org.vaecf.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.data.split.PreparedData;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.ModelWeights;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.RandomStream;

/**
 * Trains Mult-VAE or Mult-DAE as the reference notebook does: users reshuffled every epoch, batches of L2-normalised
 * click rows with input dropout, loss {@code NLL + β·KL + λ·ΣW²} with β annealed per step, Adam on every parameter,
 * and after every epoch the validation metric (NDCG@100 by default, fold-in items excluded) — the returned model
 * holds the weights of the best epoch.
 *
 * <p>Same data, configuration, seed and thread count give the same weights and metrics.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final String VERSION = versionOf(Trainer.class);

  private final ModelConfig modelConfig;
  private final TrainConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();

  /** A trainer for the given architecture and settings. */
  public Trainer(ModelConfig modelConfig, TrainConfig config) {
    this.modelConfig = Objects.requireNonNull(modelConfig, "modelConfig");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Adds a listener for progress. */
  public Trainer addListener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Trains on {@code data.train()}, validating on {@code data.validation()} after every epoch.
   *
   * @throws IllegalArgumentException if there are no training users
   * @throws TrainingDivergedException if the loss becomes NaN or infinite
   */
  public TrainedModel train(PreparedData data) {
    CsrMatrix train = data.train();
    if (train.rows() == 0) {
      throw new IllegalArgumentException("there are no training users");
    }
    Blas.setThreads(config.threads());
    try (Parallel parallel = new Parallel(config.threads())) {
      return new Run(data, parallel).execute();
    }
  }

  /** The state of one training run. */
  private final class Run {
    private final PreparedData data;
    private final CsrMatrix train;
    private final int users;
    private final int batchSize;
    private final int batchesPerEpoch;
    private final AnnealSchedule anneal;
    private final Autoencoder network;
    private final TrainingStep trainingStep;
    private final Evaluator evaluator;
    private final ModelScorer scorer;
    private final int[] order;
    private final RandomStream shuffleRandom = new RandomStream(0);
    private final List<EpochRecord> history = new ArrayList<>();
    private long step;

    Run(PreparedData data, Parallel parallel) {
      this.data = data;
      this.train = data.train();
      this.users = train.rows();
      this.batchSize = Math.min(config.batchSize(), users);
      this.batchesPerEpoch = (users + batchSize - 1) / batchSize;
      this.anneal = config.annealSchedule((long) batchesPerEpoch * config.epochs());
      this.network =
          Autoencoder.initialize(modelConfig, data.items().size(), batchSize, config.seed(), parallel);
      this.trainingStep = new TrainingStep(network, config, anneal, parallel);
      this.evaluator =
          Evaluator.builder(List.of(config.validationMetric()))
              .batchSize(batchSize)
              .threads(config.threads())
              .build();
      this.scorer = new ModelScorer(network);
      this.order = new int[users];
      for (int u = 0; u < users; u++) {
        order[u] = u;
      }
    }

    TrainedModel execute() {
      LOG.info(
          "training {} on {} users x {} items ({} interactions): {} epochs of {} batches, β → {} over {} steps",
          modelConfig.type(), users, data.items().size(), train.nnz(), config.epochs(), batchesPerEpoch,
          anneal.cap(), Math.round(anneal.totalSteps()));
      String metricName = config.validationMetric().name();
      boolean validate = hasValidationUsers(data.validation());
      if (!validate) {
        LOG.warn("no validation user has held-out items: the model keeps the last epoch's weights");
      }
      ModelWeights best = null;
      int bestEpoch = 0;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        long started = System.nanoTime();
        EpochTotals totals = trainEpoch(epoch);
        trainingStep.synchronize();
        double validation = validate ? validate(data.validation()) : Double.NaN;
        double seconds = (System.nanoTime() - started) / 1e9;
        double loss = totals.meanLoss() + config.l2() * squaredWeights();
        EpochRecord record =
            new EpochRecord(
                epoch, loss, totals.meanNll(), totals.meanKl(), totals.lastBeta, validation, seconds,
                config.adam().learningRate(), step);
        history.add(record);
        boolean improved = !validate || validation > bestValue;
        if (improved) {
          bestValue = validate ? validation : Double.NaN;
          bestEpoch = epoch;
          best = network.snapshot();
        }
        LOG.info(
            "epoch {}/{}: loss {} (nll {}, kl {}), beta {}, validation {} {}{}, {} s",
            epoch, config.epochs(), fmt(loss), fmt(record.nll()), fmt(record.kl()), fmt(record.beta()),
            metricName, fmt(validation), improved && validate ? " (best)" : "", String.format("%.2f", seconds));
        for (TrainingListener listener : listeners) {
          listener.onEpoch(record, improved);
        }
      }
      TrainingRecord trainingRecord =
          new TrainingRecord(
              config.seed(), config.threads(), config.describe(), describe(data.stats()), metricName, bestEpoch,
              validate ? bestValue : Double.NaN, history, Instant.now().toString(), VERSION);
      return new TrainedModel(modelConfig, data.items(), best, trainingRecord);
    }

    private EpochTotals trainEpoch(int epoch) {
      shuffle(epoch);
      EpochTotals totals = new EpochTotals();
      for (int batch = 0; batch < batchesPerEpoch; batch++) {
        int from = batch * batchSize;
        int to = Math.min(users, from + batchSize);
        TrainingStep.Losses losses;
        try {
          losses = trainingStep.run(train, order, from, to, step, TrainingStep.StepTimer.NONE);
        } catch (TrainingDivergedException e) {
          throw new TrainingDivergedException("epoch " + epoch + ": " + e.getMessage());
        }
        totals.add(losses.nll(), losses.kl(), losses.beta());
        step++;
        for (TrainingListener listener : listeners) {
          listener.onStep(epoch, batch + 1, batchesPerEpoch, to);
        }
      }
      return totals;
    }

    /** Fisher–Yates over the user order, keyed by (seed, epoch): the notebook reshuffles every epoch. */
    private void shuffle(int epoch) {
      shuffleRandom.reset(RandomStream.key(config.seed(), 0x5EED, epoch));
      for (int i = users - 1; i > 0; i--) {
        int j = shuffleRandom.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }

    private double validate(HeldOutSet validation) {
      EvaluationResult result = evaluator.evaluate(scorer::score, validation.foldIn(), validation.heldOut());
      return result.value(config.validationMetric().name());
    }

    private double squaredWeights() {
      if (config.l2() == 0f) {
        return 0;
      }
      double sum = 0;
      for (Parameter parameter : network.parameters()) {
        if (parameter.weight()) {
          java.nio.FloatBuffer values = parameter.value().buffer();
          for (int i = 0; i < parameter.value().size(); i++) {
            double v = values.get(i);
            sum += v * v;
          }
        }
      }
      return sum;
    }
  }

  private static boolean hasValidationUsers(HeldOutSet validation) {
    CsrMatrix heldOut = validation.heldOut();
    for (int r = 0; r < heldOut.rows(); r++) {
      if (heldOut.rowLength(r) > 0) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Object> describe(PreparationStats stats) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("trainUsers", stats.trainUsers());
    map.put("items", stats.items());
    map.put("trainInteractions", stats.trainInteractions());
    map.put("validationUsers", stats.validationUsers());
    map.put("testUsers", stats.testUsers());
    return map;
  }

  private static String fmt(double value) {
    return Double.isNaN(value) ? "n/a" : String.format("%.4f", value);
  }

  private static String versionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** Sums over an epoch's batches. */
  private static final class EpochTotals {
    private double nll;
    private double kl;
    private double weightedLoss;
    private int batches;
    private double lastBeta;

    void add(double batchNll, double batchKl, double beta) {
      nll += batchNll;
      kl += batchKl;
      weightedLoss += batchNll + beta * batchKl;
      lastBeta = beta;
      batches++;
    }

    double meanNll() {
      return nll / batches;
    }

    double meanKl() {
      return kl / batches;
    }

    double meanLoss() {
      return weightedLoss / batches;
    }
  }
}
