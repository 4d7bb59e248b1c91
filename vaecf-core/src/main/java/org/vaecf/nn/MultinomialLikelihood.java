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
  /** Per thread, the three rows in flight in {@link #rowsLossAndGradient}. */
  private final Scratch[] pipelineRows;
  /** Per thread, where {@link Kernels#loadExpStore} leaves a loaded row's maximum. */
  private final Scratch loadedMaxima;
  private double[] rowLosses = new double[0];

  /** @param parallel threads for the row loop */
  public MultinomialLikelihood(Parallel parallel) {
    this.parallel = parallel;
    this.scratch = new Scratch(parallel.threads());
    this.pipelineRows = new Scratch[3];
    for (int k = 0; k < pipelineRows.length; k++) {
      pipelineRows[k] = new Scratch(parallel.threads());
    }
    this.loadedMaxima = new Scratch(parallel.threads());
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
   * The output layer's fused pass over rows {@code [from, to)} of logits in direct memory ({@link Matrix#bytes()},
   * rows of {@code items} floats) that still lack their bias: each row gets {@code bias} added, is overwritten by its
   * gradient, which is also added to {@code biasGradient}, and its loss (not divided by the batch size) is written to
   * {@code losses[r]}. Works in cache-resident scratch rows of parallel chunk {@code chunk}. The rows go through the
   * three passes as a pipeline: while the exponentials of row r are computed, row r + 1 is loaded from memory and the
   * gradient of row r − 1 stored ({@link Kernels#loadExpStore}), so that the traffic of the one and the arithmetic of
   * the other overlap. Every row sees the same operations in the same order as row by row, and the bias gradient sums
   * the rows in order: the same bits.
   */
  void rowsLossAndGradient(
      ByteBuffer logits, int chunk, int from, int to, int items, SparseBatch targets, float invRows, float[] bias,
      float[] biasGradient, double[] losses) {
    float[] loadRow = pipelineRows[0].get(chunk, items);
    float[] expRow = pipelineRows[1].get(chunk, items);
    float[] storeRow = pipelineRows[2].get(chunk, items);
    float[] loadedMax = loadedMaxima.get(chunk, 1);
    float loadMax = 0f;
    float expMax = 0f;
    float storeMax = 0f;
    double expClicked = 0;
    double storeClicked = 0;
    double expSum = 0;
    double storeSum = 0;
    for (int load = from; load < to + 2; load++) {
      int exp = load - 1;
      int store = load - 2;
      boolean loading = load < to;
      boolean exponentiating = exp >= from && exp < to;
      boolean storing = store >= from;
      float factor = storing ? (float) (clicks(targets, store) / storeSum) * invRows : 0f;
      if (loading && exponentiating && storing) {
        expSum = kernels.loadExpStore(logits, load * items, bias, loadRow, loadedMax, expRow, expMax, storeRow, factor,
            biasGradient, logits, store * items, items);
        loadMax = loadedMax[0];
      } else {
        if (loading) {
          loadMax = kernels.loadAddMax(logits, load * items, bias, loadRow, items);
        }
        if (exponentiating) {
          expSum = kernels.expShiftSum(expRow, expRow, 0, items, expMax);
        }
        if (storing) {
          kernels.scaleAccumulateStore(storeRow, factor, biasGradient, logits, store * items, items);
        }
      }
      double loadClicked = loading ? clickedSum(loadRow, targets, load) : 0;
      if (storing) {
        subtractClicks(logits, store * items, targets, store, invRows, biasGradient);
        losses[store] = clicks(targets, store) * (storeMax + Math.log(storeSum)) - storeClicked;
      }
      // each row moves one stage on: load → exp → store
      float[] free = storeRow;
      storeRow = expRow;
      expRow = loadRow;
      loadRow = free;
      storeMax = expMax;
      expMax = loadMax;
      storeClicked = expClicked;
      expClicked = loadClicked;
      storeSum = expSum;
    }
  }

  private static int clicks(SparseBatch targets, int r) {
    return targets.rowEnd(r) - targets.rowStart(r);
  }

  /** The sum of row {@code r}'s logits (in {@code row}) at its clicked items. */
  private static double clickedSum(float[] row, SparseBatch targets, int r) {
    double clicked = 0;
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      clicked += row[targets.column(k)];
    }
    return clicked;
  }

  /** The clicks' part of the gradient: {@code −1/B} at row {@code r}'s clicked items, in the row and in ∂b. */
  private static void subtractClicks(
      ByteBuffer logits, int offset, SparseBatch targets, int r, float invRows, float[] biasGradient) {
    for (int k = targets.rowStart(r); k < targets.rowEnd(r); k++) {
      int index = (offset + targets.column(k)) * Float.BYTES;
      logits.putFloat(index, logits.getFloat(index) - invRows);
      biasGradient[targets.column(k)] -= invRows;
    }
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
