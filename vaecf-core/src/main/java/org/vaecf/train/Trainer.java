package org.vaecf.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>Same data, configuration, seed and thread count give the same weights and metrics. With
 * {@link #checkpointTo(Path)} the trainer saves a {@link Checkpoint} after every epoch and when asked to stop
 * ({@link #requestStop()}); {@link #resume(boolean)} continues from it to the same final weights, bit for bit, as an
 * uninterrupted run. A non-finite loss or parameter stops training with a {@link TrainingDivergedException} naming
 * the epoch, step and tensor, carrying the best model so far.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final String VERSION = versionOf(Trainer.class);

  private final ModelConfig modelConfig;
  private final TrainConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private Path checkpointDirectory;
  private boolean resume;
  private volatile boolean stopRequested;

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

  /** Saves a checkpoint into {@code directory} after every epoch and when stopped. */
  public Trainer checkpointTo(Path directory) {
    this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Whether to continue from the checkpoint in the {@link #checkpointTo checkpoint directory}. A missing checkpoint
   * starts from the beginning; one made for other settings or data is refused.
   */
  public Trainer resume(boolean value) {
    this.resume = value;
    return this;
  }

  /**
   * Asks a running {@link #train} to stop after its current step: it saves a checkpoint (when a directory is set) and
   * throws {@link TrainingStoppedException}. Safe to call from any thread, e.g. a shutdown hook.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Trains on {@code data.train()}, validating on {@code data.validation()} after every epoch.
   *
   * @throws IllegalArgumentException if there are no training users, or the checkpoint to resume does not match
   * @throws TrainingDivergedException if the loss or a parameter becomes NaN or infinite
   * @throws TrainingStoppedException if {@link #requestStop()} was called
   * @throws UncheckedIOException if a checkpoint cannot be read or written
   */
  public TrainedModel train(PreparedData data) {
    CsrMatrix train = data.train();
    if (train.rows() == 0) {
      throw new IllegalArgumentException("there are no training users");
    }
    // The products are split over the trainer's own threads, each running a one-thread OpenBLAS product
    // (Blas.gemm(Parallel, …)): the same threads then run the elementwise loops, and no core is oversubscribed.
    Blas.setThreads(1);
    try (Parallel parallel = new Parallel(config.threads(), TrainingStep.THREAD_SPIN)) {
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
    private final String fingerprint;
    private final String metricName;
    private final boolean validate;
    private final RandomStream shuffleRandom = new RandomStream(0);
    private int[] order;
    private List<EpochRecord> history = new ArrayList<>();
    private long step;
    private int epoch = 1;
    private int batchesDone;
    private EpochTotals totals = new EpochTotals();
    private double epochSeconds;
    private ModelWeights best;
    private int bestEpoch;
    private double bestValue = Double.NEGATIVE_INFINITY;

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
      this.fingerprint = fingerprint(data);
      this.metricName = config.validationMetric().name();
      this.validate = hasValidationUsers(data.validation());
      this.order = new int[users];
      for (int u = 0; u < users; u++) {
        order[u] = u;
      }
    }

    TrainedModel execute() {
      if (resume) {
        restore();
      }
      LOG.info(
          "training {} on {} users x {} items ({} interactions): {} epochs of {} batches, β → {} over {} steps{}",
          modelConfig.type(), users, data.items().size(), train.nnz(), config.epochs(), batchesPerEpoch,
          anneal.cap(), Math.round(anneal.totalSteps()),
          epoch > 1 || batchesDone > 0 ? ", resuming at epoch " + epoch + " batch " + (batchesDone + 1) : "");
      if (!validate) {
        LOG.warn("no validation user has held-out items: the model keeps the last epoch's weights");
      }
      for (; epoch <= config.epochs(); epoch++) {
        long started = System.nanoTime();
        trainEpoch(started);
        trainingStep.synchronize();
        checkFinite("after the epoch");
        double validation = validate ? validate(data.validation()) : Double.NaN;
        double seconds = epochSeconds + (System.nanoTime() - started) / 1e9;
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
        batchesDone = 0;
        totals = new EpochTotals();
        epochSeconds = 0;
        if (epoch < config.epochs()) {
          saveCheckpoint(epoch + 1);
        }
      }
      return model();
    }

    private TrainedModel model() {
      TrainingRecord trainingRecord =
          new TrainingRecord(
              config.seed(), config.threads(), config.describe(), describe(data.stats()), metricName, bestEpoch,
              validate ? bestValue : Double.NaN, history, Instant.now().toString(), VERSION);
      return new TrainedModel(modelConfig, data.items(), best, trainingRecord);
    }

    private void trainEpoch(long started) {
      if (batchesDone == 0) {
        shuffle(epoch);
      }
      for (int batch = batchesDone; batch < batchesPerEpoch; batch++) {
        int from = batch * batchSize;
        int to = Math.min(users, from + batchSize);
        TrainingStep.Losses losses;
        try {
          losses = trainingStep.run(train, order, from, to, step, TrainingStep.StepTimer.NONE);
        } catch (TrainingDivergedException e) {
          throw diverged("the loss", nonFiniteGradient().map(name -> "the gradient of " + name).orElse("the loss"),
              e.getMessage());
        }
        totals.add(losses.nll(), losses.kl(), losses.beta());
        step++;
        batchesDone = batch + 1;
        for (TrainingListener listener : listeners) {
          listener.onStep(epoch, batch + 1, batchesPerEpoch, to);
        }
        if (stopRequested && batchesDone < batchesPerEpoch) {
          epochSeconds += (System.nanoTime() - started) / 1e9;
          saveCheckpoint(epoch);
          throw new TrainingStoppedException(
              "training stopped at epoch " + epoch + ", step " + step
                  + (checkpointDirectory == null ? "" : "; a checkpoint is saved, resume with the same arguments"));
        }
      }
    }

    /** Fisher–Yates over the user order, keyed by (seed, epoch): the notebook reshuffles every epoch. */
    private void shuffle(int epochNumber) {
      shuffleRandom.reset(RandomStream.key(config.seed(), 0x5EED, epochNumber));
      for (int i = users - 1; i > 0; i--) {
        int j = shuffleRandom.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }

    private double validate(HeldOutSet validation) {
      EvaluationResult result = evaluator.evaluate(scorer::score, validation.foldIn(), validation.heldOut());
      return result.value(metricName);
    }

    private double squaredWeights() {
      if (config.l2() == 0f) {
        return 0;
      }
      double sum = 0;
      for (Parameter parameter : network.parameters()) {
        if (parameter.weight()) {
          FloatBuffer values = parameter.value().buffer();
          for (int i = 0; i < parameter.value().size(); i++) {
            double v = values.get(i);
            sum += v * v;
          }
        }
      }
      return sum;
    }

    // ---- divergence guard -------------------------------------------------------------------------------------

    private void checkFinite(String when) {
      for (Parameter parameter : network.parameters()) {
        if (!allFinite(parameter.value().buffer(), parameter.value().size())) {
          throw diverged(parameter.name(), parameter.name(), when);
        }
      }
    }

    private Optional<String> nonFiniteGradient() {
      for (Parameter parameter : network.parameters()) {
        if (!allFinite(parameter.gradient().buffer(), parameter.gradient().size())) {
          return Optional.of(parameter.name());
        }
      }
      return Optional.empty();
    }

    private TrainingDivergedException diverged(String tensor, String what, String detail) {
      String message =
          "training diverged at epoch " + epoch + ", step " + step + ": " + what + " is not finite (" + detail
              + "); try a smaller learning rate"
              + (bestEpoch > 0 ? "; the best model so far (epoch " + bestEpoch + ") is kept" : "");
      Optional<TrainedModel> bestSoFar = bestEpoch > 0 ? Optional.of(model()) : Optional.empty();
      return new TrainingDivergedException(message, tensor, bestSoFar);
    }

    // ---- checkpoints ------------------------------------------------------------------------------------------

    private void saveCheckpoint(int epochInProgress) {
      if (checkpointDirectory == null) {
        return;
      }
      ModelWeights current = network.snapshot();
      Checkpoint checkpoint =
          new Checkpoint(
              fingerprint,
              new Checkpoint.Progress(
                  epochInProgress, epochInProgress == epoch ? batchesDone : 0, step, order.clone(), totals.nll,
                  totals.kl, totals.weightedLoss, totals.lastBeta, epochInProgress == epoch ? epochSeconds : 0),
              new Checkpoint.Best(bestEpoch, bestValue, best == null ? current : best),
              history,
              current,
              trainingStep.adam().state());
      try {
        CheckpointFiles.save(checkpoint, checkpointDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "could not write the checkpoint to " + checkpointDirectory + ": " + e.getMessage(), e);
      }
    }

    private void restore() {
      Optional<Checkpoint> loaded;
      try {
        loaded = checkpointDirectory == null ? Optional.empty() : CheckpointFiles.load(checkpointDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the checkpoint: " + e.getMessage(), e);
      }
      if (loaded.isEmpty()) {
        LOG.info("no checkpoint to resume from: training from the start");
        return;
      }
      Checkpoint checkpoint = loaded.get();
      if (!checkpoint.fingerprint().equals(fingerprint)) {
        throw new IllegalArgumentException(
            "the checkpoint in " + checkpointDirectory + " was made with other settings or data; resume with the "
                + "same arguments, or train without --resume to start over");
      }
      Checkpoint.Progress progress = checkpoint.progress();
      if (progress.order().length != users) {
        throw new IllegalArgumentException("the checkpoint's user order does not match the data");
      }
      // A run's position is counted three ways, equal in every checkpoint it writes; checked here because Adam
      // replays its step sizes up to its step, so a damaged count there would run (and allocate) without end.
      long stepOfPosition = (long) (progress.epoch() - 1) * batchesPerEpoch + progress.batchesDone();
      if (progress.batchesDone() >= batchesPerEpoch || progress.step() != stepOfPosition
          || checkpoint.optimizer().step() != progress.step()) {
        throw new IllegalArgumentException(
            "the checkpoint in " + checkpointDirectory + " is inconsistent: epoch " + progress.epoch() + ", "
                + progress.batchesDone() + " of " + batchesPerEpoch + " batches done, step " + progress.step()
                + ", optimiser step " + checkpoint.optimizer().step() + "; train without --resume to start over");
      }
      network.loadWeights(checkpoint.weights());
      trainingStep.adam().restore(checkpoint.optimizer());
      epoch = progress.epoch();
      batchesDone = progress.batchesDone();
      step = progress.step();
      order = progress.order().clone();
      totals = new EpochTotals();
      totals.nll = progress.nllSum();
      totals.kl = progress.klSum();
      totals.weightedLoss = progress.lossSum();
      totals.lastBeta = progress.lastBeta();
      totals.batches = batchesDone;
      epochSeconds = progress.seconds();
      history = new ArrayList<>(checkpoint.history());
      bestEpoch = checkpoint.best().epoch();
      bestValue = checkpoint.best().value();
      best = bestEpoch > 0 ? checkpoint.best().weights() : null;
    }

    /** Identifies the model, the settings and the data, so a checkpoint resumes only the run that made it. */
    private String fingerprint(PreparedData prepared) {
      MessageDigest digest;
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java platform", e);
      }
      StringBuilder text = new StringBuilder();
      text.append(modelConfig).append('\n').append(config.describe()).append('\n').append(prepared.stats());
      for (String id : prepared.items().ids()) {
        text.append('\n').append(id);
      }
      digest.update(text.toString().getBytes(StandardCharsets.UTF_8));
      digest.update(intsToBytes(prepared.train().rowPointers()));
      digest.update(intsToBytes(prepared.train().colIndexes()));
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  private static byte[] intsToBytes(int[] values) {
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * Integer.BYTES);
    bytes.asIntBuffer().put(values);
    return bytes.array();
  }

  private static boolean allFinite(FloatBuffer values, int size) {
    for (int i = 0; i < size; i++) {
      if (!Float.isFinite(values.get(i))) {
        return false;
      }
    }
    return true;
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
