package org.vaecf.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.Ndcg;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.ModelType;
import org.vaecf.train.AnnealSchedule;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.TrainingStep;

/**
 * How close a Mult-VAE training step comes to the machine's arithmetic limit.
 *
 * <p>Nearly all of a step's arithmetic is dense matrix products, so its lower bound is {@code FLOPs / GEMM rate}. The
 * FLOPs of one step of {@code [I → h₁ … → 2d | d → … → I]} with batch B, counting a multiply-add as 2:
 * <ul>
 *   <li>every dense layer a → b: 2·B·a·b forward, 2·B·a·b for ∂W and 2·B·a·b for ∂x — 6·B·a·b (the output layer
 *       h → I, the largest, is 6·B·h·I);
 *   <li>the sparse first layer I → h₁: 2·nnz·h₁ forward and 2·nnz·h₁ for ∂W — 4·nnz·h₁ (no ∂x).
 * </ul>
 * The GEMM rate is measured in the same run, on the engine's own product at 500 × 600 × I: split over the Java threads
 * as the step multiplies, and on OpenBLAS's own threads, before the steps and after them; and, in the faster of the
 * two ways, after every measured step — the product run twice, the second timed — so that the steps and the products
 * they are compared with share the machine's state (a virtual machine's speed drifts by 10–20% within minutes, which
 * moved the ratio by as much when the rate was taken only before and after). {@code ratio = step time / (FLOPs /
 * GEMM rate)} uses the median of the rates taken between the steps; the others are reported beside it.
 */
public final class TrainBenchmark {
  /**
   * More garbage than this per measured step means boxed vectors: a clean step allocates 12–21 kB (JavaCPP's pointer
   * objects, the parallel loops' lambdas), one whose SIMD kernels were left as calls by the JIT from 0.4 MB up.
   */
  private static final long BOXED_BYTES_PER_STEP = 256 * 1024;

  /** Tastes planted in the synthetic data; each needs an item of its own, so the data has at least this many. */
  public static final int SYNTHETIC_TASTES = 100;

  private final TrainBenchmarkSettings settings;

  /** A benchmark with the given settings. */
  public TrainBenchmark(TrainBenchmarkSettings settings) {
    this.settings = settings;
  }

  /**
   * The line to print when the measured steps allocated so much that some SIMD kernel must have boxed its vectors, or
   * nothing.
   */
  static java.util.Optional<String> boxingWarning(long allocatedBytesPerStep) {
    if (allocatedBytesPerStep <= BOXED_BYTES_PER_STEP) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(String.format(java.util.Locale.ROOT,
        "the measured steps allocated %.0f kB each (a clean run: 12-21): in this run the JIT left some SIMD"
            + " kernel's vector operations as calls that box their vectors, which costs time; a run with"
            + " VAECF_JAVA_OPTS=-XX:StartFlightRecording=filename=steps.jfr,settings=profile names the kernel"
            + " (jfr print --events jdk.ObjectAllocationSample steps.jfr)",
        allocatedBytesPerStep / 1024.0));
  }

  /** Runs the benchmark; {@code progress} receives one line per phase. */
  public Map<String, Object> run(java.util.function.Consumer<String> progress) {
    ModelConfig modelConfig = ModelConfig.defaults(ModelType.MULT_VAE);
    TrainConfig trainConfig =
        TrainConfig.builder(ModelType.MULT_VAE).threads(settings.threads()).seed(settings.seed()).build();
    int batch = trainConfig.batchSize();
    int neededTrainUsers = (settings.steps() + settings.warmupSteps()) * batch;
    PreparedData data = settings.data().isPresent()
        ? PreparedDataStore.read(settings.data().get())
        : synthetic(neededTrainUsers, progress);
    CsrMatrix train = data.train();
    int items = data.items().size();
    int users = settings.data().isPresent() ? train.rows() : settings.users();
    if (train.rows() < batch) {
      throw new IllegalArgumentException("the data has " + train.rows() + " training users, fewer than one batch");
    }
    // The garbage of generating or reading the data is collected before anything is measured: left to the collector's
    // timing it stayed on the heap in some runs and not in others, and moved the peak RSS by 400 MB between runs.
    System.gc();
    Blas.setThreads(1); // as the trainer: products split over the Java threads (Blas.gemm(Parallel, …))
    Map<String, Object> result = new LinkedHashMap<>();
    try (Parallel parallel = new Parallel(settings.threads(), TrainingStep.THREAD_SPIN)) { // as the trainer
      progress.accept("measuring the GEMM rate at 500 x 600 x " + items + " (OpenBLAS: " + Blas.library() + ")");
      int hidden = modelConfig.hiddenDims().get(0);
      // The bound's GEMM rate is the fastest the engine multiplies: split over the Java threads (what the step does)
      // or on OpenBLAS's own threads, measured before the steps and again after them (at the start the JIT compiler
      // still competes for the cores, and the machine's speed drifts), the best median counting. The strictest
      // denominator keeps the ratio honest.
      GemmRates before = GemmRates.measure(parallel, batch, hidden, items);
      Autoencoder network = Autoencoder.initialize(modelConfig, items, batch, settings.seed(), parallel);
      long plannedSteps = (long) trainConfig.epochs() * ((users + batch - 1) / batch);
      TrainingStep step = new TrainingStep(network, trainConfig, AnnealSchedule.auto(0.2, plannedSteps), parallel);
      progress.accept(
          "training " + settings.warmupSteps() + " warm-up + " + settings.steps() + " measured steps on "
              + train.rows() + " users x " + items + " items");
      boolean openblasThreads = before.openblas().median() > before.split().median();
      StepTimes times;
      try (GemmProbe between =
          new GemmProbe(network.outputLayer().weight().value(), batch, parallel, openblasThreads)) {
        times = timeSteps(step, train, batch, between);
      }
      boxingWarning(times.allocatedBytesPerStep).ifPresent(progress);
      progress.accept("scoring " + settings.evalUsers() + " validation users");
      double evalSeconds = evalSeconds(network, data, parallel, batch);
      double rssPeakMb = ProcessStats.peakRssMb(); // of training and scoring, before the second GEMM measurement
      network.close(); // its direct memory would otherwise sit beside the GEMM operands
      progress.accept("measuring the GEMM rate again");
      GemmRates after = GemmRates.measure(parallel, batch, hidden, items);
      Summary gemm = times.gemm;
      double nnzPerStep = times.nnzPerStep;
      double flops = flopsPerStep(batch, modelConfig, items, nnzPerStep);
      double msPerStep = times.total.median();
      double lowerBoundMs = flops / (gemm.median() * 1e9) * 1e3;

      result.put("shape", Map.of("users", users, "items", items, "batch", batch,
          "interactionsPerBatch", Math.round(nnzPerStep), "hidden", modelConfig.hiddenDims(),
          "latent", modelConfig.latentDim()));
      result.put("threads", settings.threads());
      result.put("blasLibrary", Blas.library());
      result.put("msPerStep", round(msPerStep));
      result.put("msPerStepMin", round(times.total.min()));
      result.put("msPerStepMax", round(times.total.max()));
      Map<String, Object> parts = new LinkedHashMap<>();
      for (TrainingStep.Part part : TrainingStep.Part.values()) {
        parts.put(jsonName(part), round(times.parts[part.ordinal()].median()));
      }
      result.put("msPerPart", parts);
      result.put("msOutputWeightUpdate", round(times.outputWeightUpdate.median()));
      result.put("secondsPerEpoch", round(msPerStep * ((users + batch - 1) / batch) / 1e3));
      result.put("flopsPerStep", flops);
      result.put("gflops", round(flops / (msPerStep / 1e3) / 1e9));
      result.put("gemmGflops", round(gemm.median()));
      result.put("gemmGflopsMax", round(gemm.max()));
      result.put("gemmGflopsBefore", round(before.best().median()));
      result.put("gemmGflopsAfter", round(after.best().median()));
      result.put("gemmGflopsSplit", round(Math.max(before.split().median(), after.split().median())));
      result.put("gemmGflopsOpenblasThreads", round(Math.max(before.openblas().median(), after.openblas().median())));
      result.put("lowerBoundMsPerStep", round(lowerBoundMs));
      result.put("ratio", Math.round(msPerStep / lowerBoundMs * 1000) / 1000.0);
      result.put("evalSecondsPer10kUsers", round(evalSeconds * 10_000.0 / evalUsers(data)));
      result.put("rssPeakMb", round(rssPeakMb));
      result.put("heapPeakMb", round(times.heapPeakBytes / 1048576.0));
      result.put("gcMsDuringSteps", times.gcMillis);
      result.put("allocatedKbPerStep", round(times.allocatedBytesPerStep / 1024.0));
      result.put("jitMsDuringSteps", times.jitMillis);
    }
    return result;
  }

  /** A part's key in the JSON: its name in lower camel case ({@code FIRST_LAYER} → {@code firstLayer}). */
  static String jsonName(TrainingStep.Part part) {
    String[] words = part.name().toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int w = 1; w < words.length; w++) {
      name.append(Character.toUpperCase(words[w].charAt(0))).append(words[w], 1, words[w].length());
    }
    return name.toString();
  }

  private PreparedData synthetic(int trainUsers, java.util.function.Consumer<String> progress) {
    int heldOut = settings.evalUsers();
    int total = trainUsers + 2 * heldOut;
    progress.accept(
        "generating " + total + " synthetic users x " + settings.items() + " items, "
            + settings.interactionsPerUser() + " interactions per user");
    SyntheticData.Settings shape =
        new SyntheticData.Settings(
            total, settings.items(), SYNTHETIC_TASTES, 3, 5, settings.interactionsPerUser(), 0.8, 0.15,
            settings.seed());
    return StrongGeneralizationConfig.defaults(heldOut).splitter().split(new SyntheticData(shape).generate());
  }

  /** The documented FLOP count of one step (see the class comment). */
  static double flopsPerStep(int batch, ModelConfig config, int items, double nnz) {
    List<Integer> hidden = config.hiddenDims();
    int first = hidden.isEmpty() ? 2 * config.latentDim() : hidden.get(0);
    double flops = 4.0 * nnz * first;
    for (org.vaecf.model.TensorShape shape : Autoencoder.parameterShapes(config, items)) {
      boolean denseWeight = shape.name().endsWith(".weight") && !shape.name().equals("encoder.0.weight");
      if (denseWeight) {
        flops += 6.0 * batch * shape.rows() * shape.cols();
      }
    }
    return flops;
  }

  /** GEMM rates of the two ways to multiply, measured one after the other. */
  private record GemmRates(Summary split, Summary openblas) {
    static GemmRates measure(Parallel parallel, int batch, int hidden, int items) {
      return new GemmRates(
          gemmGflops(parallel, false, batch, hidden, items), gemmGflops(parallel, true, batch, hidden, items));
    }

    Summary best() {
      return split.median() >= openblas.median() ? split : openblas;
    }
  }

  /**
   * The rate of {@link Blas#gemm(Parallel, boolean, boolean, float, Matrix, Matrix, float, Matrix)} at
   * {@code batch × hidden × items}, median of 15 after 3 untimed, on operands of its own.
   */
  private static Summary gemmGflops(Parallel parallel, boolean openblasThreads, int batch, int hidden, int items) {
    try (Matrix weight = Matrix.zeros(hidden, items)) {
      weight.fill(0.02f);
      try (GemmProbe probe = new GemmProbe(weight, batch, parallel, openblasThreads)) {
        for (int i = 0; i < 3; i++) {
          probe.rate();
        }
        double[] rates = new double[15];
        for (int i = 0; i < rates.length; i++) {
          rates[i] = probe.rate();
        }
        return Summary.of(rates);
      }
    }
  }

  /**
   * The bound's product, {@code batch × weight.rows() × weight.cols()}: a batch of its own times {@code weight}, into
   * a buffer of its own, split over the Java threads as the step multiplies or on OpenBLAS's threads. Between the
   * steps it multiplies the network's own output weight; its output buffer (the size of the logits, 40 MB at ML-20M's
   * shape) is counted in the RSS the benchmark reports — the network's logits buffer is not free between steps, it
   * holds the zeros the next step adds to.
   */
  private static final class GemmProbe implements AutoCloseable {
    private final Matrix weight;
    private final Matrix input;
    private final Matrix output;
    private final Parallel parallel;
    private final boolean openblasThreads;

    GemmProbe(Matrix weight, int batch, Parallel parallel, boolean openblasThreads) {
      this.weight = weight;
      this.input = Matrix.zeros(batch, weight.rows());
      this.input.fill(0.01f);
      this.output = Matrix.zeros(batch, weight.cols());
      this.parallel = parallel;
      this.openblasThreads = openblasThreads;
    }

    /** The rate in GFLOP/s of one product. */
    double rate() {
      int threads = Blas.threads();
      if (openblasThreads) {
        Blas.setThreads(parallel.threads());
      }
      try {
        long start = System.nanoTime();
        Blas.gemm(parallel, false, false, 1f, input, weight, 0f, output);
        double seconds = (System.nanoTime() - start) / 1e9;
        return 2.0 * input.rows() * input.cols() * weight.cols() / seconds / 1e9;
      } finally {
        Blas.setThreads(threads);
      }
    }

    /** The rate of the second of two products (the first brings the operands back into the state of a product). */
    double secondRate() {
      rate();
      return rate();
    }

    @Override
    public void close() {
      input.close();
      output.close();
    }
  }

  /** Timings of the measured steps. */
  private static final class StepTimes {
    Summary gemm;
    Summary total;
    Summary[] parts;
    Summary outputWeightUpdate;
    double nnzPerStep;
    long gcMillis;
    long heapPeakBytes;
    long allocatedBytesPerStep;
    long jitMillis;
  }

  private StepTimes timeSteps(TrainingStep step, CsrMatrix train, int batch, GemmProbe gemm) {
    int[] order = new int[train.rows()];
    for (int u = 0; u < order.length; u++) {
      order[u] = u;
    }
    int batches = train.rows() / batch;
    int partCount = TrainingStep.Part.values().length;
    double[] totals = new double[settings.steps()];
    double[] gemmRates = new double[settings.steps()];
    double[][] parts = new double[partCount][settings.steps()];
    double[] outputWeightUpdate = new double[settings.steps()];
    long[] marks = new long[partCount + 1];
    int[] measured = {-1};
    TrainingStep.StepTimer timer =
        part -> {
          if (measured[0] >= 0) {
            marks[part.ordinal() + 1] = System.nanoTime();
          }
        };
    long nnz = 0;
    long gcBefore = 0;
    long heapPeak = 0;
    long allocatedBefore = 0;
    long jitBefore = 0;
    for (int s = 0; s < settings.warmupSteps() + settings.steps(); s++) {
      int from = (s % batches) * batch;
      boolean measuring = s >= settings.warmupSteps();
      if (measuring && s == settings.warmupSteps()) {
        gcBefore = ProcessStats.gcMillis();
        allocatedBefore = ProcessStats.allocatedBytes();
        jitBefore = ProcessStats.jitMillis();
      }
      measured[0] = measuring ? s - settings.warmupSteps() : -1;
      marks[0] = System.nanoTime();
      step.run(train, order, from, from + batch, s, timer);
      if (measuring) {
        int m = measured[0];
        totals[m] = (marks[partCount] - marks[0]) / 1e6;
        for (int p = 0; p < partCount; p++) {
          parts[p][m] = (marks[p + 1] - marks[p]) / 1e6;
        }
        outputWeightUpdate[m] = step.outputWeightUpdateMillis();
        nnz += (long) train.rowPointers()[from + batch] - train.rowPointers()[from];
        heapPeak = Math.max(heapPeak, ProcessStats.heapUsedBytes());
        gemmRates[m] = gemm.secondRate();
      }
    }
    StepTimes times = new StepTimes();
    times.gemm = Summary.of(gemmRates);
    times.total = Summary.of(totals);
    times.parts = new Summary[partCount];
    for (int p = 0; p < partCount; p++) {
      times.parts[p] = Summary.of(parts[p]);
    }
    times.outputWeightUpdate = Summary.of(outputWeightUpdate);
    times.nnzPerStep = (double) nnz / settings.steps();
    times.gcMillis = ProcessStats.gcMillis() - gcBefore;
    times.allocatedBytesPerStep = (ProcessStats.allocatedBytes() - allocatedBefore) / settings.steps();
    times.heapPeakBytes = heapPeak;
    times.jitMillis = jitBefore < 0 ? -1 : ProcessStats.jitMillis() - jitBefore;
    return times;
  }

  private int evalUsers(PreparedData data) {
    return Math.min(settings.evalUsers(), data.validation().size());
  }

  private double evalSeconds(Autoencoder network, PreparedData data, Parallel parallel, int batch) {
    HeldOutSet validation = data.validation();
    int users = evalUsers(data);
    int[] rows = new int[users];
    for (int u = 0; u < users; u++) {
      rows[u] = u;
    }
    CsrMatrix foldIn = validation.foldIn().selectRows(rows);
    CsrMatrix heldOut = validation.heldOut().selectRows(rows);
    ModelScorer scorer = new ModelScorer(network);
    Evaluator evaluator =
        Evaluator.builder(List.of(new Ndcg(100))).batchSize(batch).threads(parallel.threads()).build();
    evaluator.evaluate(scorer::score, foldIn, heldOut); // warm-up
    long start = System.nanoTime();
    evaluator.evaluate(scorer::score, foldIn, heldOut);
    return (System.nanoTime() - start) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
