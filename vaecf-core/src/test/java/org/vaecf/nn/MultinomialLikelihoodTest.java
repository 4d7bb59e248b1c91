package org.vaecf.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The output layer's likelihood pass over direct memory, which runs its rows as a pipeline (one row loaded, one
 * exponentiated, one stored in each sweep): against the same three kernels called row by row, bit for bit — the
 * gradient written over the logits, the bias gradient and every row's loss — for ranges of one row up to many, so
 * that the pipeline's filling and draining are exercised.
 */
class MultinomialLikelihoodTest {
  private static final int ITEMS = 1_037;
  private static final int ROWS = 9;

  @Test
  void pipelinedRowsEqualRowByRowPassesBitForBit() {
    SplittableRandom random = new SplittableRandom(77);
    CsrMatrix.Builder builder = new CsrMatrix.Builder(ITEMS);
    for (int r = 0; r < ROWS; r++) {
      builder.addRow(random.ints(1 + 4 * r, 0, ITEMS).distinct().sorted().toArray());
    }
    SparseBatch targets = new SparseBatch(ROWS).loadNormalized(builder.build());
    float[] logits = new float[ROWS * ITEMS];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (random.nextDouble() * 12 - 6);
    }
    float[] bias = new float[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      bias[i] = (float) (random.nextDouble() - 0.5);
    }
    float invRows = 1f / ROWS;
    int[][] ranges = {{0, 1}, {2, 4}, {1, 4}, {3, 9}, {0, 9}};
    try (Parallel parallel = new Parallel(1)) {
      MultinomialLikelihood likelihood = new MultinomialLikelihood(parallel);
      for (int[] range : ranges) {
        int from = range[0];
        int to = range[1];
        float[] expectedBiasGradient = new float[ITEMS];
        double[] expectedLosses = new double[ROWS];
        float[] expectedGradient;
        try (Matrix direct = Matrix.of(ROWS, ITEMS, logits)) {
          for (int r = from; r < to; r++) {
            expectedLosses[r] =
                rowByRow(direct.bytes(), r, targets, invRows, bias, expectedBiasGradient);
          }
          expectedGradient = direct.toArray();
        }
        try (Matrix direct = Matrix.of(ROWS, ITEMS, logits)) {
          float[] biasGradient = new float[ITEMS];
          double[] losses = new double[ROWS];
          likelihood.rowsLossAndGradient(
              direct.bytes(), 0, from, to, ITEMS, targets, invRows, bias, biasGradient, losses);
          String rows = "rows " + from + ".." + to;
          assertThat(losses).as(rows).isEqualTo(expectedLosses);
          assertThat(biasGradient).as(rows).isEqualTo(expectedBiasGradient);
          assertThat(direct.toArray()).as(rows).isEqualTo(expectedGradient);
          FloatBuffer gradient = direct.buffer();
          for (int r = from; r < to; r++) {
            double rowSum = 0;
            for (int i = 0; i < ITEMS; i++) {
              rowSum += gradient.get(r * ITEMS + i);
            }
            assertThat(rowSum).as("a gradient row of softmax − clicks sums to 0").isBetween(-1e-5, 1e-5);
            assertThat(losses[r]).as("a negative log-likelihood").isPositive();
          }
        }
      }
    }
  }

  /** The unpipelined pass over row {@code r}: load and add the bias, exponentiate, store, subtract the clicks. */
  private static double rowByRow(
      ByteBuffer logits, int r, SparseBatch targets, float invRows, float[] bias, float[] biasGradient) {
    Kernels kernels = Kernels.best();
    float[] row = new float[ITEMS];
    int offset = r * ITEMS;
    float max = kernels.loadAddMax(logits, offset, bias, row, ITEMS);
    double clicked = 0;
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      clicked += row[targets.column(k)];
    }
    double sum = kernels.expShiftSum(row, row, 0, ITEMS, max);
    int clicks = targets.rowEnd(r) - targets.rowStart(r);
    kernels.scaleAccumulateStore(row, (float) (clicks / sum) * invRows, biasGradient, logits, offset, ITEMS);
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      int index = (offset + targets.column(k)) * Float.BYTES;
      logits.putFloat(index, logits.getFloat(index) - invRows);
      biasGradient[targets.column(k)] -= invRows;
    }
    return clicks * (max + Math.log(sum)) - clicked;
  }
}
