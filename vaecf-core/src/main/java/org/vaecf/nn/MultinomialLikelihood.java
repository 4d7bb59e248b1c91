package org.vaecf.nn;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.Scratch;

/**
 * The multinomial log-likelihood of Mult-VAE / Mult-DAE (Liang et al., WWW 2018, eq. 2): for user u with clicks
 * {@code x_u} and logits {@code f_u}, {@code log p(x_u) = Σ_i x_ui · log softmax(f_u)_i}. The loss is its negative
 * mean over the batch, the notebook's {@code neg_ll}.
 *
 * <p>Loss and gradient are fused per row, which is read from memory once and written once: the maximum, then
 * {@code e_i = exp(f_ui − max)} and their sum, then {@code ∂f_ui = (n_u · e_i / Σe − x_ui) / B} with
 * {@code n_u = Σ_i x_ui}. The row works in a cache-resident copy with the SIMD kernels. Rows are split over threads;
 * the per-row losses are summed in row order, so the result does not depend on the thread count.
 */
public final class MultinomialLikelihood {
  private final Parallel parallel;
  private final Kernels kernels = Kernels.best();
  private final Scratch scratch;
  private double[] rowLosses = new double[0];

  /** @param parallel threads for the row loop */
  public MultinomialLikelihood(Parallel parallel) {
    this.parallel = parallel;
    this.scratch = new Scratch(parallel.threads());
  }

  /**
   * Returns the mean negative log-likelihood of the binary targets (the columns of {@code targets}, whose values are
   * ignored) under {@code logits}, and writes its gradient with respect to the logits into {@code gradLogits}, which
   * may be {@code logits} itself (the training step does that: the logits are not needed afterwards, and writing in
   * place spares a 40 MB stream at ML-20M's shape).
   */
  public double lossAndGradient(Matrix logits, SparseBatch targets, Matrix gradLogits) {
    int rows = logits.rows();
    if (targets.rows() != rows) {
      throw new IllegalArgumentException("targets have " + targets.rows() + " rows, logits " + rows);
    }
    if (rows == 0) {
      return 0;
    }
    gradLogits.setRows(rows);
    if (rowLosses.length < rows) {
      rowLosses = new double[rows];
    }
    int items = logits.cols();
    float invRows = 1f / rows;
    FloatBuffer f = logits.buffer();
    FloatBuffer g = gradLogits.buffer();
    double[] losses = rowLosses;
    parallel.forChunks(
        rows,
        1,
        (chunk, from, to) -> {
          float[] row = scratch.get(chunk, items);
          for (int r = from; r < to; r++) {
            int base = r * items;
            f.get(base, row, 0, items);
            losses[r] = rowLossAndGradient(row, items, targets, r, invRows);
            g.put(base, row, 0, items);
          }
        });
    double total = 0;
    for (int r = 0; r < rows; r++) {
      total += losses[r];
    }
    return total / rows;
  }

  /**
   * {@link #rowLossAndGradient} for logits in direct memory that still lack their bias, {@code logits[offset ..
   * offset + items)} ({@link Matrix#bytes()}, offset in floats), overwritten by their gradient: the first pass loads
   * the row into {@code row} (cache-resident scratch) adding {@code bias}, the last writes the gradient back and adds
   * it to {@code biasGradient} (the output layer's fused pass).
   */
  double rowLossAndGradient(
      ByteBuffer logits, int offset, float[] row, int items, SparseBatch targets, int r, float invRows, float[] bias,
      float[] biasGradient) {
    float max = kernels.loadAddMax(logits, offset, bias, row, items);
    double clickedLogits = 0;
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      clickedLogits += row[targets.column(k)];
    }
    double sum = kernels.expShiftSum(row, row, 0, items, max);
    int clicks = targets.rowEnd(r) - targets.rowStart(r);
    kernels.scaleAccumulateStore(row, (float) (clicks / sum) * invRows, biasGradient, logits, offset, items);
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      int index = (offset + targets.column(k)) * Float.BYTES;
      logits.putFloat(index, logits.getFloat(index) - invRows);
      biasGradient[targets.column(k)] -= invRows;
    }
    return clicks * (max + Math.log(sum)) - clickedLogits;
  }

  /**
   * One row of {@link #lossAndGradient}: {@code row[0..items)} holds the logits of batch row {@code r} and is
   * overwritten by their gradient; returns the row's negative log-likelihood (not divided by the batch size).
   */
  double rowLossAndGradient(float[] row, int items, SparseBatch targets, int r, float invRows) {
    double clickedLogits = 0;
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      clickedLogits += row[targets.column(k)];
    }
    float max = kernels.max(row, 0, items);
    double sum = kernels.expShiftSum(row, row, 0, items, max);
    int clicks = targets.rowEnd(r) - targets.rowStart(r);
    kernels.scale(row, 0, items, (float) (clicks / sum) * invRows);
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      row[targets.column(k)] -= invRows;
    }
    return clicks * (max + Math.log(sum)) - clickedLogits;
  }
}
