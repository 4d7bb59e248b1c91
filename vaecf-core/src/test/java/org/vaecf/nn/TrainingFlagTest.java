package org.vaecf.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Matrix;

/**
 * The crux of the model: the reparameterization and dropout are random while training and deterministic while
 * predicting, decided by the {@code training} flag alone.
 */
class TrainingFlagTest {
  private static final int ROWS = 20_000;

  /** ROWS rows of [µ | log σ²] with µ = (0.5, −1), σ² = (0.25, 4). */
  private static Matrix gaussianParameters() {
    Matrix input = Matrix.zeros(ROWS, 4);
    for (int r = 0; r < ROWS; r++) {
      input.set(r, 0, 0.5f);
      input.set(r, 1, -1f);
      input.set(r, 2, (float) Math.log(0.25));
      input.set(r, 3, (float) Math.log(4.0));
    }
    return input;
  }

  @Test
  void trainingSamplesHaveTheEncodersMeanAndVariance() {
    Reparameterize layer = new Reparameterize(2, ROWS, new Noise(42));
    Matrix z = layer.forward(gaussianParameters(), true);
    double[] mean = new double[2];
    double[] variance = new double[2];
    for (int j = 0; j < 2; j++) {
      final int col = j;
      mean[j] = IntStream.range(0, ROWS).mapToDouble(r -> z.get(r, col)).average().orElseThrow();
      variance[j] =
          IntStream.range(0, ROWS).mapToDouble(r -> Math.pow(z.get(r, col) - mean[col], 2)).sum() / (ROWS - 1);
    }
    // Standard error of the mean is σ/√n (0.0035 and 0.014); of the variance about σ²·√(2/n) (0.0025 and 0.04).
    assertThat(mean[0]).isCloseTo(0.5, offset(0.015));
    assertThat(mean[1]).isCloseTo(-1.0, offset(0.06));
    assertThat(variance[0]).isCloseTo(0.25, offset(0.0125));
    assertThat(variance[1]).isCloseTo(4.0, offset(0.2));
  }

  @Test
  void trainingPassesDifferFromStepToStep() {
    Noise noise = new Noise(42);
    Reparameterize layer = new Reparameterize(2, ROWS, noise);
    Matrix input = gaussianParameters();
    noise.setStep(1);
    float[] first = layer.forward(input, true).toArray();
    noise.setStep(2);
    float[] second = layer.forward(input, true).toArray();
    assertThat(second).isNotEqualTo(first);
    noise.setStep(1);
    assertThat(layer.forward(input, true).toArray()).as("same step, same noise").isEqualTo(first);
  }

  @Test
  void predictionReturnsTheMeanExactlyAndRepeatably() {
    Noise noise = new Noise(42);
    Reparameterize layer = new Reparameterize(2, ROWS, noise);
    Matrix input = gaussianParameters();
    float[] first = layer.forward(input, false).toArray();
    noise.setStep(99);
    float[] second = layer.forward(input, false).toArray();
    assertThat(second).isEqualTo(first);
    for (int r = 0; r < ROWS; r += 997) {
      assertThat(first[2 * r]).isEqualTo(0.5f);
      assertThat(first[2 * r + 1]).isEqualTo(-1f);
    }
  }

  @Test
  void backwardAfterAPredictionPassIsRefused() {
    Reparameterize layer = new Reparameterize(2, ROWS, new Noise(1));
    layer.forward(gaussianParameters(), false);
    assertThatThrownBy(() -> layer.backward(Matrix.zeros(ROWS, 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("training = true");
  }

  private static SparseBatch oneLongRow(int length) {
    int[] items = IntStream.range(0, length).toArray();
    return new SparseBatch(1).loadNormalized(new CsrMatrix.Builder(length).addRow(items).build());
  }

  @Test
  void dropoutInTrainingKeepsHalfTheEntriesScaledByTwo() {
    int length = 10_000;
    SparseBatch input = oneLongRow(length);
    Noise noise = new Noise(3);
    SparseDropout dropout = new SparseDropout(0.5f, 1, noise);
    SparseBatch output = dropout.forward(input, true);
    double keptFraction = (double) output.nnz() / length;
    assertThat(keptFraction).isCloseTo(0.5, offset(0.02)); // 4 standard errors
    float normalized = (float) (1.0 / Math.sqrt(length));
    for (int k = 0; k < output.nnz(); k++) {
      assertThat(output.value(k)).isEqualTo(normalized * 2f);
    }
    int[] firstMask = IntStream.range(0, output.nnz()).map(output::column).toArray();
    noise.setStep(1);
    SparseBatch again = dropout.forward(input, true);
    int[] secondMask = IntStream.range(0, again.nnz()).map(again::column).toArray();
    assertThat(secondMask).isNotEqualTo(firstMask);
  }

  @Test
  void dropoutInPredictionIsTheIdentity() {
    SparseBatch input = oneLongRow(100);
    SparseDropout dropout = new SparseDropout(0.5f, 1, new Noise(3));
    assertThat(dropout.forward(input, false)).isSameAs(input);
    assertThat(input.nnz()).isEqualTo(100);
    assertThat(input.value(0)).isEqualTo(0.1f);
  }

  @Test
  void inputRowsAreScaledToUnitLength() {
    CsrMatrix data = new CsrMatrix.Builder(5).addRow(new int[] {0, 1, 2, 3}).addRow(new int[] {}).build();
    SparseBatch batch = new SparseBatch(2).loadNormalized(data);
    for (int k = batch.rowStart(0); k < batch.rowEnd(0); k++) {
      assertThat(batch.value(k)).isEqualTo(0.5f);
    }
    assertThat(batch.rowEnd(1) - batch.rowStart(1)).isZero();
  }
}
