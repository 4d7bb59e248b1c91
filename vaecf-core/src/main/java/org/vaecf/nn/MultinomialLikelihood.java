package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The multinomial log-likelihood of Mult-VAE / Mult-DAE (Liang et al., WWW 2018, eq. 2): for user u with clicks
 * {@code x_u} and logits {@code f_u}, {@code log p(x_u) = Σ_i x_ui · log softmax(f_u)_i}. The loss is its negative
 * mean over the batch, the notebook's {@code neg_ll}.
 *
 * <p>Loss and gradient are fused per row: one pass for the maximum, one for Σ exp, one writing
 * {@code ∂f_ui = (n_u · softmax(f_u)_i − x_ui) / B} with {@code n_u = Σ_i x_ui}. Rows are split over threads; the
 * per-row losses are summed in row order, so the result does not depend on the thread count.
 */
public final class MultinomialLikelihood {
  private final Parallel parallel;
  private double[] rowLosses = new double[0];

  /** @param parallel threads for the row loop */
  public MultinomialLikelihood(Parallel parallel) {
    this.parallel = parallel;
  }

  /**
   * Returns the mean negative log-likelihood of the binary targets (the columns of {@code targets}, whose values are
   * ignored) under {@code logits}, and writes its gradient with respect to the logits into {@code gradLogits}.
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
    parallel.forRange(
        rows,
        1,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            int base = r * items;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < items; i++) {
              max = Math.max(max, f.get(base + i));
            }
            double sum = 0;
            for (int i = 0; i < items; i++) {
              float e = (float) Math.exp(f.get(base + i) - max);
              g.put(base + i, e);
              sum += e;
            }
            double logSumExp = max + Math.log(sum);
            int clicks = targets.rowEnd(r) - targets.rowStart(r);
            float scale = (float) (clicks / sum) * invRows;
            for (int i = 0; i < items; i++) {
              g.put(base + i, g.get(base + i) * scale);
            }
            double clickedLogits = 0;
            for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
              int index = base + targets.column(k);
              clickedLogits += f.get(index);
              g.put(index, g.get(index) - invRows);
            }
            losses[r] = clicks * logSumExp - clickedLogits;
          }
        });
    double total = 0;
    for (int r = 0; r < rows; r++) {
      total += losses[r];
    }
    return total / rows;
  }
}
