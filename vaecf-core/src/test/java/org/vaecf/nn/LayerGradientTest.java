package org.vaecf.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/** Every layer's backward pass against central finite differences of its forward pass. */
class LayerGradientTest {
  private static final Parallel PARALLEL = new Parallel(2);
  private static final double H = 1e-2;
  private static final double TOLERANCE = 2e-3;

  @AfterAll
  static void close() {
    PARALLEL.close();
  }

  @Test
  void linearGradientsMatchFiniteDifferences() {
    Linear layer = new Linear("l", 5, 4, 3, PARALLEL);
    layer.weight().value().copyFrom(GradientCheck.random(5, 4, 0.5, 1));
    layer.bias().value().copyFrom(GradientCheck.random(1, 4, 0.5, 2));
    Matrix input = GradientCheck.random(3, 5, 1.0, 3);
    Matrix upstream = GradientCheck.random(3, 4, 1.0, 4);
    layer.forward(input, true);
    Matrix gradInput = layer.backward(upstream);
    Matrix gradInputCopy = Matrix.of(3, 5, gradInput.toArray());
    java.util.function.DoubleSupplier loss =
        () -> GradientCheck.weightedSum(layer.forward(input, true), upstream);
    GradientCheck.check("∂W", layer.weight().value(), layer.weight().gradient(), loss, H, TOLERANCE);
    GradientCheck.check("∂b", layer.bias().value(), layer.bias().gradient(), loss, H, TOLERANCE);
    GradientCheck.check("∂x", input, gradInputCopy, loss, H, TOLERANCE);
  }

  @Test
  void tanhGradientMatchesFiniteDifferences() {
    Tanh layer = new Tanh(6, 2);
    Matrix input = GradientCheck.random(2, 6, 2.0, 5);
    Matrix upstream = GradientCheck.random(2, 6, 1.0, 6);
    layer.forward(input, true);
    Matrix gradInput = Matrix.of(2, 6, layer.backward(upstream).toArray());
    GradientCheck.check(
        "∂x", input, gradInput, () -> GradientCheck.weightedSum(layer.forward(input, true), upstream), H, TOLERANCE);
  }

  /**
   * The network's tanh works in place: its forward pass returns its input matrix holding tanh(x), its backward pass
   * returns the ∂y matrix holding ∂x — bit for bit what the copying tanh computes — and on two threads as on one.
   */
  @Test
  void inPlaceTanhWritesOverItsInputAndUpstreamGradientWithTheCopyingTanhsBits() {
    for (int threads : new int[] {1, 2}) {
      try (Parallel parallel = new Parallel(threads);
          Tanh copying = new Tanh(600, 40, parallel);
          Tanh inPlace = Tanh.inPlace(parallel);
          Matrix input = GradientCheck.random(40, 600, 2.0, 11);
          Matrix upstream = GradientCheck.random(40, 600, 1.0, 12)) {
        float[] expectedOutput = copying.forward(input, true).toArray();
        float[] expectedGradInput = copying.backward(upstream).toArray();

        Matrix output = inPlace.forward(input, true);
        assertThat(output).as("forward returns its input").isSameAs(input);
        assertThat(output.toArray()).isEqualTo(expectedOutput);
        Matrix gradInput = inPlace.backward(upstream);
        assertThat(gradInput).as("backward returns ∂y's matrix").isSameAs(upstream);
        assertThat(gradInput.toArray()).isEqualTo(expectedGradInput);
      }
    }
    try (Parallel parallel = new Parallel(1);
        Tanh unused = Tanh.inPlace(parallel)) {
      assertThatThrownBy(() -> unused.backward(Matrix.zeros(1, 3))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void reparameterizeGradientMatchesFiniteDifferencesWithFixedNoise() {
    Noise noise = new Noise(7);
    noise.setStep(3);
    Reparameterize layer = new Reparameterize(3, 4, noise);
    Matrix input = GradientCheck.random(4, 6, 1.0, 8);
    Matrix upstream = GradientCheck.random(4, 3, 1.0, 9);
    layer.forward(input, true);
    Matrix gradInput = Matrix.of(4, 6, layer.backward(upstream).toArray());
    // The noise is keyed by (seed, step, row), so every evaluation below sees the same ε.
    GradientCheck.check(
        "∂[µ|logσ²]",
        input,
        gradInput,
        () -> GradientCheck.weightedSum(layer.forward(input, true), upstream),
        H,
        TOLERANCE);
  }

  @Test
  void gaussianKlGradientMatchesFiniteDifferences() {
    GaussianKl kl = new GaussianKl(3);
    Matrix input = GradientCheck.random(4, 6, 1.0, 10);
    Matrix gradient = Matrix.zeros(4, 6);
    kl.addGradient(input, 0.7f, gradient);
    GradientCheck.check("∂KL", input, gradient, () -> 0.7 * kl.value(input), H, TOLERANCE);
  }

  /** The reparameterization's fused KL term and gradient are GaussianKl's, bit for bit, on one thread or several. */
  @Test
  void reparameterizeCarriesTheKlTermOfGaussianKl() {
    int rows = 70;
    Noise noise = new Noise(5);
    noise.setStep(2);
    Matrix input = GradientCheck.random(rows, 8, 1.0, 15);
    Matrix upstream = GradientCheck.random(rows, 4, 1.0, 16);
    GaussianKl kl = new GaussianKl(4);
    Reparameterize plain = new Reparameterize(4, rows, noise);
    plain.forward(input, true);
    Matrix expected = Matrix.of(rows, 8, plain.backward(upstream).toArray());
    kl.addGradient(input, 0.3f, expected);
    for (Parallel parallel : new Parallel[] {new Parallel(1), PARALLEL}) {
      Reparameterize layer = new Reparameterize(4, rows, noise, parallel);
      layer.forward(input, true);
      assertThat(layer.klDivergence()).isEqualTo(kl.value(input));
      assertThat(layer.backward(upstream, 0.3f).toArray()).isEqualTo(expected.toArray());
    }
    Reparameterize predicting = new Reparameterize(4, rows, noise);
    predicting.forward(input, false);
    org.assertj.core.api.Assertions.assertThatThrownBy(predicting::klDivergence)
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void gaussianKlIsZeroAtThePrior() {
    GaussianKl kl = new GaussianKl(2);
    Matrix standard = Matrix.zeros(3, 4); // µ = 0, log σ² = 0
    assertThat(kl.value(standard)).isEqualTo(0.0);
    // µ = 1, log σ² = 0 in one dimension: ½ · 1 = 0.5 per row.
    Matrix shifted = Matrix.of(1, 4, new float[] {1f, 0f, 0f, 0f});
    assertThat(kl.value(shifted)).isEqualTo(0.5);
  }

  @Test
  void multinomialGradientMatchesFiniteDifferences() {
    MultinomialLikelihood likelihood = new MultinomialLikelihood(PARALLEL);
    CsrMatrix clicks =
        new CsrMatrix.Builder(7).addRow(new int[] {0, 3}).addRow(new int[] {6}).addRow(new int[] {1, 2, 4}).build();
    SparseBatch targets = new SparseBatch(3).loadNormalized(clicks);
    Matrix logits = GradientCheck.random(3, 7, 2.0, 11);
    Matrix gradient = Matrix.zeros(3, 7);
    likelihood.lossAndGradient(logits, targets, gradient);
    Matrix gradientCopy = Matrix.of(3, 7, gradient.toArray());
    Matrix scratch = Matrix.zeros(3, 7);
    GradientCheck.check(
        "∂logits",
        logits,
        gradientCopy,
        () -> likelihood.lossAndGradient(logits, targets, scratch),
        H,
        TOLERANCE);
  }

  @Test
  void multinomialLossEqualsDirectFormula() {
    MultinomialLikelihood likelihood = new MultinomialLikelihood(PARALLEL);
    CsrMatrix clicks = new CsrMatrix.Builder(3).addRow(new int[] {0, 2}).build();
    SparseBatch targets = new SparseBatch(1).loadNormalized(clicks);
    Matrix logits = Matrix.of(1, 3, new float[] {1f, 2f, 3f});
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    double expected = -(Math.log(Math.exp(1) / z) + Math.log(Math.exp(3) / z));
    assertThat(likelihood.lossAndGradient(logits, targets, Matrix.zeros(1, 3))).isCloseTo(expected, within(1e-6));
  }

  @Test
  void sparseLinearGradientsMatchFiniteDifferences() {
    CsrMatrix clicks =
        new CsrMatrix.Builder(9).addRow(new int[] {0, 4, 8}).addRow(new int[] {2}).addRow(new int[] {4, 5}).build();
    checkSparseLinearGradients(clicks, 12);
  }

  @Test
  void sparseLinearGradientsMatchFiniteDifferencesWhenSummedItemByItem() {
    checkSparseLinearGradients(randomClicks(SparseLinear.BY_ITEM_MIN_ROWS + 6, 9, 4, 24), 22);
  }

  /** ∂W and ∂b of a 9 → 5 sparse layer on {@code clicks} against finite differences. */
  private static void checkSparseLinearGradients(CsrMatrix clicks, long seed) {
    int rows = clicks.rows();
    SparseLinear layer = new SparseLinear("s", 9, 5, rows, PARALLEL);
    layer.weight().value().copyFrom(GradientCheck.random(9, 5, 0.5, seed));
    layer.bias().value().copyFrom(GradientCheck.random(1, 5, 0.5, seed + 1));
    SparseBatch input = new SparseBatch(rows).loadNormalized(clicks);
    Matrix upstream = GradientCheck.random(rows, 5, 1.0, seed + 2);
    layer.forward(input);
    layer.backward(upstream);
    java.util.function.DoubleSupplier loss = () -> GradientCheck.weightedSum(layer.forward(input), upstream);
    GradientCheck.check("∂W", layer.weight().value(), layer.weight().gradient(), loss, H, TOLERANCE);
    GradientCheck.check("∂b", layer.bias().value(), layer.bias().gradient(), loss, H, TOLERANCE);
  }

  /** {@code rows} users with 1 to {@code most} distinct items each, drawn from {@code seed}. */
  private static CsrMatrix randomClicks(int rows, int items, int most, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    CsrMatrix.Builder builder = new CsrMatrix.Builder(items);
    for (int r = 0; r < rows; r++) {
      builder.addRow(random.ints(1 + random.nextInt(most), 0, items).distinct().toArray());
    }
    return builder.build();
  }

  /**
   * A batch large enough to be summed item by item gives every user the bits it gets summed alone (user by user), on
   * any number of threads: both add the user's items in increasing order.
   */
  @Test
  void sparseLinearSumsItemByItemAndUserByUserToTheSameBits() {
    int items = 50;
    int width = 37; // not a multiple of the vector length
    int rows = SparseLinear.BY_ITEM_MIN_ROWS + 17;
    CsrMatrix clicks = randomClicks(rows, items, 12, 31);
    Matrix weights = GradientCheck.random(items, width, 0.5, 32);
    Matrix bias = GradientCheck.random(1, width, 0.5, 33);
    float[] alone = new float[rows * width];
    try (Parallel one = new Parallel(1)) {
      SparseLinear single = sparseLayer(items, width, 1, one, weights, bias);
      for (int r = 0; r < rows; r++) {
        SparseBatch user = new SparseBatch(1).loadNormalized(clicks.selectRows(new int[] {r}));
        single.forward(user).buffer().get(0, alone, r * width, width);
      }
    }
    for (int threads : new int[] {1, 2, 3}) {
      try (Parallel parallel = new Parallel(threads)) {
        SparseLinear layer = sparseLayer(items, width, rows, parallel, weights, bias);
        float[] together = layer.forward(new SparseBatch(rows).loadNormalized(clicks)).toArray();
        assertThat(together).as("%d threads", threads).isEqualTo(alone);
      }
    }
  }

  /** A sparse layer of {@code items → width} for batches of up to {@code rows} holding {@code weights} and {@code bias}. */
  private static SparseLinear sparseLayer(
      int items, int width, int rows, Parallel parallel, Matrix weights, Matrix bias) {
    SparseLinear layer = new SparseLinear("s", items, width, rows, parallel);
    layer.weight().value().copyFrom(weights);
    layer.bias().value().copyFrom(bias);
    return layer;
  }

  /**
   * A training batch on several threads is summed split by items: to float rounding the user-by-user sums, the same
   * bits when repeated, and (one thread, or a prediction) exactly the user-by-user bits.
   */
  @Test
  void sparseLinearTrainingSumSplitByItemsAgreesWithTheUserByUserSum() {
    int items = 50;
    int width = 37;
    int rows = SparseLinear.BY_ITEM_MIN_ROWS + 17;
    CsrMatrix clicks = randomClicks(rows, items, 12, 41);
    Matrix weights = GradientCheck.random(items, width, 0.5, 42);
    Matrix bias = GradientCheck.random(1, width, 0.5, 43);
    SparseBatch batch = new SparseBatch(rows).loadNormalized(clicks);
    float[] byUser;
    try (Parallel one = new Parallel(1)) {
      SparseLinear single = sparseLayer(items, width, rows, one, weights, bias);
      byUser = single.forward(batch, true).toArray();
      assertThat(single.forward(batch, false).toArray()).as("one thread: the same path either way").isEqualTo(byUser);
    }
    for (int threads : new int[] {2, 3}) {
      try (Parallel parallel = new Parallel(threads)) {
        SparseLinear layer = sparseLayer(items, width, rows, parallel, weights, bias);
        float[] split = layer.forward(batch, true).toArray();
        for (int i = 0; i < split.length; i++) {
          assertThat((double) split[i]).as("%d threads, entry %d", threads, i).isCloseTo(byUser[i], within(1e-5));
        }
        assertThat(layer.forward(batch, true).toArray()).as("%d threads, repeated", threads).isEqualTo(split);
        assertThat(layer.forward(batch, false).toArray()).as("%d threads, prediction", threads).isEqualTo(byUser);
      }
    }
  }

  /**
   * The training sum split by items hands each of the batch's rows of W to the read listener once, one by one, and
   * adds the row as the listener left it: here the listener writes the row (as an optimiser catching it up would).
   */
  @Test
  void sparseLinearTrainingSumReadsEachRowAfterItsListenerCall() {
    int items = 40;
    int width = 20;
    int rows = SparseLinear.BY_ITEM_MIN_ROWS + 3;
    CsrMatrix clicks = randomClicks(rows, items, 6, 51);
    SparseBatch batch = new SparseBatch(rows).loadNormalized(clicks);
    try (Parallel parallel = new Parallel(2)) {
      SparseLinear layer = new SparseLinear("s", items, width, rows, parallel);
      float[] w = layer.weight().value().array();
      java.util.concurrent.ConcurrentHashMap<Integer, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
      layer.setReadListener(
          new SparseRows.ReadListener() {
            @Override
            public void beforeRead(int[] read, int count) {
              throw new AssertionError("the split sum hands rows over one by one");
            }

            @Override
            public void beforeReadRow(int row) {
              calls.merge(row, 1, Integer::sum);
              java.util.Arrays.fill(w, row * width, (row + 1) * width, row + 1f);
            }

            @Override
            public int stepsBehind(int row) {
              return row % 7 == 0 ? 50 : 0; // uneven work, so the shares are cut by it
            }
          });
      float[] y = layer.forward(batch, true).toArray();
      java.util.Set<Integer> batchItems = new java.util.TreeSet<>();
      for (int r = 0; r < rows; r++) {
        double expected = 0;
        for (int k = batch.rowStart(r); k < batch.rowEnd(r); k++) {
          batchItems.add(batch.column(k));
          expected += batch.value(k) * (batch.column(k) + 1.0);
        }
        for (int c = 0; c < width; c++) {
          assertThat((double) y[r * width + c]).as("row %d", r).isCloseTo(expected, within(1e-4));
        }
      }
      assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(batchItems);
      assertThat(calls.values()).allMatch(count -> count == 1);
    }
  }

  @Test
  void sparseLinearClearsRowsTouchedByThePreviousBatch() {
    SparseLinear layer = new SparseLinear("s", 4, 2, 1, PARALLEL);
    layer.weight().value().fill(1f);
    SparseBatch first = new SparseBatch(1).loadNormalized(new CsrMatrix.Builder(4).addRow(new int[] {0}).build());
    SparseBatch second = new SparseBatch(1).loadNormalized(new CsrMatrix.Builder(4).addRow(new int[] {3}).build());
    Matrix upstream = Matrix.of(1, 2, new float[] {1f, 1f});
    layer.forward(first);
    layer.backward(upstream);
    layer.forward(second);
    layer.backward(upstream);
    assertThat(layer.weight().gradient().get(0, 0)).isZero();
    assertThat(layer.weight().gradient().get(3, 0)).isEqualTo(1f);
  }

  private static org.assertj.core.data.Offset<Double> within(double tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }
}
