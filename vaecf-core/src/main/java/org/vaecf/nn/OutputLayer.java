package org.vaecf.nn;

import java.nio.FloatBuffer;
import java.util.List;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.Scratch;

/**
 * The decoder's last layer, {@code logits = h · W + b} over all items, with {@code W} of shape hidden × items — and,
 * for training, the same layer fused with the multinomial likelihood (Liang et al., WWW 2018, eq. 2).
 *
 * <p>As a {@link Layer} it is a plain affine layer (prediction, gradient checks). For training,
 * {@link #forwardLoss} and {@link #backwardLoss} produce the same loss and gradients while touching the item-wide
 * matrices as few times as possible, because at ML-20M's shape these passes over memory, not the arithmetic, are what
 * separate a step from its matrix products:
 *
 * <ul>
 *   <li>{@code h · W} is written without a bias (no broadcast of {@code b} into 40 MB first, no read-back by the
 *       product); the likelihood's pass over each logit row adds {@code b}, turns the row into its gradient in place,
 *       and sums the bias gradient into a per-thread row as it goes (no separate column sum);
 *   <li>{@code ∂h = ∂logits · Wᵀ} for a thread's rows follows that thread's likelihood pass at once;
 *   <li>{@code ∂W = hᵀ · ∂logits} is computed one block of columns at a time and handed to a {@link ColumnBlockUpdate}
 *       (the optimiser) while in cache, so the 600 × items gradient is never written to memory.
 * </ul>
 *
 * Products are split over the layer's threads as {@link Blas#gemm(Parallel, boolean, boolean, float, Matrix, Matrix,
 * float, Matrix)} describes. Not thread-safe.
 */
public final class OutputLayer implements Layer {
  /** Columns of ∂W per block handed to the update: 600 × 1,024 floats (2.4 MB) stay in a core's caches. */
  static final int UPDATE_BLOCK = 1024;

  /** The plain affine layer: its parameters and buffers, and the {@link Layer} path. */
  private final Linear affine;
  private final Parameter weight;
  private final Parameter bias;
  private final Matrix logits;
  private final Matrix gradInput;
  private final Parallel parallel;
  private final MultinomialLikelihood likelihood;
  private final Kernels kernels = Kernels.best();
  private final Scratch rowScratch;
  private final Scratch biasGradients;
  private final Matrix[] gradientBlocks;
  private float[] biasValues = new float[0];
  private double[] rowLosses = new double[0];
  private Matrix lastInput;
  /** Set by {@link #forwardLoss}, cleared by {@link #backwardLoss}: the logits buffer then holds ∂logits. */
  private boolean lossGradientReady;

  /**
   * @param name prefix of the parameter names ({@code name.weight}, {@code name.bias})
   * @param in input width (the last hidden layer)
   * @param items output width
   * @param maxBatch most rows a batch may have
   * @param parallel threads for the products and the likelihood's rows
   */
  public OutputLayer(String name, int in, int items, int maxBatch, Parallel parallel) {
    this.affine = new Linear(name, in, items, maxBatch, parallel);
    this.weight = affine.weight();
    this.bias = affine.bias();
    this.logits = affine.output(); // the fused pass writes its logits, then their gradient, where forward writes
    this.gradInput = affine.gradInput();
    this.parallel = parallel;
    this.likelihood = new MultinomialLikelihood(parallel);
    this.rowScratch = new Scratch(parallel.threads());
    this.biasGradients = new Scratch(parallel.threads());
    this.gradientBlocks = new Matrix[parallel.threads()];
  }

  /** {@code h · W + b}: the logits, in a buffer owned by the layer. */
  @Override
  public Matrix forward(Matrix input, boolean training) {
    lossGradientReady = false;
    return affine.forward(input, training);
  }

  /** Stores {@code ∂W = hᵀ·∂y} and {@code ∂b = Σ ∂y}; returns {@code ∂h = ∂y·Wᵀ}. */
  @Override
  public Matrix backward(Matrix gradOutput) {
    return affine.backward(gradOutput);
  }

  /**
   * The training forward pass through the likelihood: computes the logits of {@code input} (the last hidden
   * activation), the mean negative multinomial log-likelihood of {@code targets} (binary clicks: their columns), the
   * gradient of that mean with respect to the logits, {@code ∂b} (stored in the bias parameter) and {@code ∂h}.
   * {@link #backwardLoss} then yields {@code ∂W} and {@code ∂h}. The result equals {@link #forward} followed by
   * {@link MultinomialLikelihood#lossAndGradient} and {@link #backward}, up to float rounding.
   */
  public double forwardLoss(Matrix input, SparseBatch targets) {
    int rows = input.rows();
    if (targets.rows() != rows) {
      throw new IllegalArgumentException("targets have " + targets.rows() + " rows, the input " + rows);
    }
    int items = logits.cols();
    logits.setRows(rows);
    gradInput.setRows(rows);
    lastInput = input;
    Blas.gemm(parallel, false, false, 1f, input, weight.value(), 0f, logits);
    if (biasValues.length != items) {
      biasValues = new float[items];
    }
    bias.value().buffer().get(0, biasValues, 0, items);
    if (rowLosses.length < rows) {
      rowLosses = new double[rows];
    }
    boolean rowProducts = Blas.splitsOver(parallel) || parallel.threads() == 1;
    float invRows = rows == 0 ? 0f : 1f / rows;
    FloatBuffer values = logits.buffer();
    double[] losses = rowLosses;
    int chunks = parallel.threads();
    for (int c = 0; c < chunks; c++) {
      java.util.Arrays.fill(biasGradients.get(c, items), 0, items, 0f);
    }
    parallel.forChunks(
        rows,
        1,
        (chunk, from, to) -> {
          float[] row = rowScratch.get(chunk, items);
          float[] biasGradient = biasGradients.get(chunk, items);
          for (int r = from; r < to; r++) {
            int base = r * items;
            values.get(base, row, 0, items);
            losses[r] = likelihood.rowLossAndGradient(row, items, targets, r, invRows, biasValues, biasGradient);
            values.put(base, row, 0, items);
          }
          if (rowProducts) {
            Blas.gemmRowRange(false, true, 1f, logits, weight.value(), 0f, gradInput, from, to);
          }
        });
    if (!rowProducts) {
      Blas.gemm(parallel, false, true, 1f, logits, weight.value(), 0f, gradInput);
    }
    sumBiasGradients(Math.max(1, Math.min(chunks, rows)), items);
    lossGradientReady = true;
    double total = 0;
    for (int r = 0; r < rows; r++) {
      total += losses[r];
    }
    return rows == 0 ? 0 : total / rows;
  }

  /** ∂b: the chunks' partial column sums, added in chunk order (so the result depends only on the thread count). */
  private void sumBiasGradients(int usedChunks, int items) {
    float[] total = biasGradients.get(0, items);
    for (int c = 1; c < usedChunks; c++) {
      kernels.axpy(1f, biasGradients.get(c, items), 0, total, 0, items);
    }
    bias.gradient().buffer().put(0, total, 0, items);
  }

  /**
   * Finishes the backward pass of the last {@link #forwardLoss}: {@code ∂W = hᵀ · ∂logits}, handed to {@code update}
   * block by block when given (the weight's stored gradient is then left alone), else stored in the weight parameter.
   * Returns {@code ∂h}. Afterwards the layer's logits buffer no longer holds logits.
   *
   * @throws IllegalStateException without a preceding {@link #forwardLoss}
   */
  public Matrix backwardLoss(ColumnBlockUpdate update) {
    if (!lossGradientReady) {
      throw new IllegalStateException("backwardLoss needs a preceding forwardLoss");
    }
    lossGradientReady = false;
    if (update == null) {
      Blas.gemm(parallel, true, false, 1f, lastInput, logits, 0f, weight.gradient());
    } else if (Blas.splitsOver(parallel) || parallel.threads() == 1) {
      updateByBlocks(update);
    } else {
      // OpenBLAS runs its own threads: one product, then the update over column ranges of the stored gradient
      Matrix gradient = weight.gradient();
      Blas.gemm(parallel, true, false, 1f, lastInput, logits, 0f, gradient);
      int items = gradient.cols();
      parallel.forChunks(
          (items + UPDATE_BLOCK - 1) / UPDATE_BLOCK,
          1,
          (chunk, from, to) ->
              update.apply(chunk, from * UPDATE_BLOCK, Math.min(items, to * UPDATE_BLOCK), gradient.buffer(),
                  from * UPDATE_BLOCK, items));
    }
    return gradInput;
  }

  /** Each thread computes blocks of ∂W's columns into its own buffer, one-thread products, and updates them. */
  private void updateByBlocks(ColumnBlockUpdate update) {
    int in = weight.value().rows();
    int items = weight.value().cols();
    int blocks = (items + UPDATE_BLOCK - 1) / UPDATE_BLOCK;
    parallel.forChunks(
        blocks,
        1,
        (chunk, from, to) -> {
          Matrix block = gradientBlock(chunk, in);
          for (int b = from; b < to; b++) {
            int start = b * UPDATE_BLOCK;
            int end = Math.min(items, start + UPDATE_BLOCK);
            Blas.gemmColumnBlock(true, 1f, lastInput, logits, start, end, block);
            update.apply(chunk, start, end, block.buffer(), 0, UPDATE_BLOCK);
          }
        });
  }

  private Matrix gradientBlock(int chunk, int in) {
    if (gradientBlocks[chunk] == null) {
      gradientBlocks[chunk] = Matrix.zeros(in, UPDATE_BLOCK);
    }
    return gradientBlocks[chunk];
  }

  /** The weight parameter (hidden × items). */
  public Parameter weight() {
    return weight;
  }

  /** The bias parameter (1 × items). */
  public Parameter bias() {
    return bias;
  }

  @Override
  public List<Parameter> parameters() {
    return affine.parameters();
  }

  @Override
  public void close() {
    affine.close();
    for (Matrix block : gradientBlocks) {
      if (block != null) {
        block.close();
      }
    }
  }
}
