package org.vaecf.bench.jmh;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.ColumnPanels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.TopK;
import org.vaecf.nn.MultinomialLikelihood;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.SparseBatch;
import org.vaecf.nn.SparseLinear;
import org.vaecf.nn.Tanh;
import org.vaecf.train.Adam;
import org.vaecf.train.AdamSettings;

/**
 * One benchmark per kernel of the training step, each at ML-20M's shape, timed as a whole call (milliseconds). The
 * Adam benchmark has a companion that copies the same bytes, so its memory-bandwidth bound is measured beside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules", "jdk.incubator.vector", "-Xmx4g", "-XX:CompileCommand=quiet",
      "-XX:CompileCommand=dontinline,org.vaecf.linalg.VectorKernels::*"
    })
public class KernelBenchmarks {
  /** Users in the service's mean batch under {@code bench serve}'s load (32 connections). */
  private static final int SERVICE_BATCH = 19;

  @Param({"2"})
  int threads;

  private Parallel parallel;
  private SparseBatch batch;
  private SparseLinear sparse;
  private Matrix sparseGradient;
  private MultinomialLikelihood likelihood;
  private Matrix logits;
  private Matrix logitsCopy;
  private Tanh tanh;
  private Matrix activations;
  private Adam adam;
  private Parameter outputWeight;
  private FloatBuffer copySource;
  private FloatBuffer copyTarget;
  private float[] scores;
  private TopK topK;
  private int[] ranking;
  private int[] excluded;
  private ColumnPanels packedOutput;
  private Matrix transposedOutput;
  private float[] serviceHidden;
  private float[] serviceLogits;
  private Matrix serviceHiddenMatrix;
  private Matrix serviceLogitsMatrix;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = new Parallel(threads);
    CsrMatrix users = Shapes.batch(1);
    batch = new SparseBatch(Shapes.BATCH).loadNormalized(users);
    sparse = new SparseLinear("encoder.0", Shapes.ITEMS, Shapes.HIDDEN, Shapes.BATCH, parallel);
    sparse.weight().value().copyFrom(Shapes.uniform(Shapes.ITEMS * Shapes.HIDDEN, 0.05, 2));
    sparseGradient = Matrix.of(Shapes.BATCH, Shapes.HIDDEN, Shapes.uniform(Shapes.BATCH * Shapes.HIDDEN, 0.1, 3));
    likelihood = new MultinomialLikelihood(parallel);
    logits = Matrix.of(Shapes.BATCH, Shapes.ITEMS, Shapes.uniform(Shapes.BATCH * Shapes.ITEMS, 5, 4));
    logitsCopy = Matrix.zeros(Shapes.BATCH, Shapes.ITEMS);
    tanh = new Tanh(Shapes.HIDDEN, Shapes.BATCH);
    activations = Matrix.of(Shapes.BATCH, Shapes.HIDDEN, Shapes.uniform(Shapes.BATCH * Shapes.HIDDEN, 2, 5));
    outputWeight = Parameter.zeros("decoder.1.weight", Shapes.HIDDEN, Shapes.ITEMS, true);
    outputWeight.value().copyFrom(Shapes.uniform(Shapes.HIDDEN * Shapes.ITEMS, 0.05, 6));
    outputWeight.gradient().copyFrom(Shapes.uniform(Shapes.HIDDEN * Shapes.ITEMS, 0.001, 7));
    adam = new Adam(List.of(outputWeight), AdamSettings.PAPER, 0f, parallel);
    // Adam streams θ, ∂θ, m and v in and θ, m, v out: 7 floats per entry; the copy moves as many bytes.
    int floats = Shapes.HIDDEN * Shapes.ITEMS * 7 / 2;
    copySource = Matrix.zeros(1, floats).buffer();
    copyTarget = Matrix.zeros(1, floats).buffer();
    scores = Shapes.uniform(Shapes.ITEMS, 10, 8);
    topK = new TopK(100);
    ranking = new int[100];
    excluded = users.row(0);
    // the service's output product: its mean batch under bench serve's load, against the packed or transposed weight
    Matrix bias = Matrix.zeros(1, Shapes.ITEMS);
    packedOutput = ColumnPanels.pack(outputWeight.value(), bias);
    transposedOutput = Matrix.zeros(Shapes.ITEMS, Shapes.HIDDEN);
    for (int h = 0; h < Shapes.HIDDEN; h++) {
      for (int i = 0; i < Shapes.ITEMS; i++) {
        transposedOutput.buffer().put(i * Shapes.HIDDEN + h, outputWeight.value().buffer().get(h * Shapes.ITEMS + i));
      }
    }
    serviceHidden = Shapes.uniform(SERVICE_BATCH * Shapes.HIDDEN, 1, 9);
    serviceHiddenMatrix = Matrix.of(SERVICE_BATCH, Shapes.HIDDEN, serviceHidden);
    serviceLogits = new float[SERVICE_BATCH * Shapes.ITEMS];
    serviceLogitsMatrix = Matrix.zeros(SERVICE_BATCH, Shapes.ITEMS);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }

  /** The sparse first layer, forward: Σ of W rows over 36,500 entries. */
  @Benchmark
  public Matrix sparseLayerForward() {
    return sparse.forward(batch);
  }

  /** The sparse first layer, forward then backward (∂W grouped by item). */
  @Benchmark
  public void sparseLayerForwardBackward() {
    sparse.forward(batch);
    sparse.backward(sparseGradient);
  }

  /** Softmax, log-likelihood and its gradient over 500 × 20,108 logits (a copy first, as the gradient is in place). */
  @Benchmark
  public double softmaxMultinomialGradient() {
    logitsCopy.copyFrom(logits);
    return likelihood.lossAndGradient(logitsCopy, batch, logitsCopy);
  }

  /** The copy inside {@link #softmaxMultinomialGradient}, to subtract. */
  @Benchmark
  public Matrix softmaxInputCopy() {
    logitsCopy.copyFrom(logits);
    return logitsCopy;
  }

  /** tanh forward and backward over 500 × 600 activations. */
  @Benchmark
  public Matrix tanhForwardBackward() {
    Matrix out = tanh.forward(activations, true);
    return tanh.backward(out);
  }

  /** One Adam step of the 600 × 20,108 output layer. */
  @Benchmark
  public long adamOutputLayer() {
    adam.step();
    return adam.steps();
  }

  /** A plain copy of as many bytes as {@link #adamOutputLayer} moves: its memory-bandwidth bound. */
  @Benchmark
  public FloatBuffer copySameBytes() {
    copyTarget.put(0, copySource, 0, copySource.capacity());
    return copyTarget;
  }

  /** Top-100 of 20,108 scores with a user's 73 items excluded. */
  @Benchmark
  public void topK(Blackhole blackhole) {
    blackhole.consume(topK.select(scores, 0, Shapes.ITEMS, excluded, 0, excluded.length, ranking));
  }

  /** The service's output product, 19 users × 600 × 20,108, on one thread against the packed weight. */
  @Benchmark
  public float[] serviceProductPacked() {
    packedOutput.multiply(serviceHidden, SERVICE_BATCH, serviceLogits, 0, packedOutput.panels());
    return serviceLogits;
  }

  /**
   * The same product by OpenBLAS's sgemm on one of its threads against the transposed weight, as the service ran it
   * before the packed one (OpenBLAS's thread count is process-wide; it is set back after the call).
   */
  @Benchmark
  public Matrix serviceProductOpenBlas() {
    int previous = Blas.threads();
    Blas.setThreads(1);
    try {
      Blas.gemm(false, true, 1f, serviceHiddenMatrix, transposedOutput, 0f, serviceLogitsMatrix);
    } finally {
      Blas.setThreads(previous);
    }
    return serviceLogitsMatrix;
  }
}
