package org.vaecf.nn;

import java.nio.ByteBuffer;
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
 *   <li>the backward pass walks the item columns in blocks, each thread its own: for a block of {@code ∂logits}
 *       (500 × ~2,000 floats, 4 MB) it adds the block's share of {@code ∂h = ∂logits · Wᵀ} to a per-thread sum, then
 *       computes that block of {@code ∂W = hᵀ · ∂logits} and hands it to a {@link ColumnBlockUpdate} (the optimiser)
 *       while it is in cache, so the 600 × items gradient is never written to memory, and each block of
 *       {@code ∂logits} and of {@code W} is fetched once for both products and the update.
 * </ul>
 *
 * Splitting {@code ∂h} along the items also spares OpenBLAS a copy: split by rows, each thread packed all of
 * {@code W} for its half of the users (measured at ML-20M's shape, two threads: ∂h and ∂W 96.0 ms by rows then
 * blocks, 91.8 ms in the shared blocks). The per-thread sums of {@code ∂h} are added in thread order, so the result
 * depends only on the thread count.
 *
 * Products are split over the layer's threads as {@link Blas#gemm(Parallel, boolean, boolean, float, Matrix, Matrix,
 * float, Matrix)} describes. Not thread-safe.
 */
public final class OutputLayer implements Layer {
  /**
   * Most columns of ∂W per block handed to the update: 600 × 2,048 floats (4.9 MB). Blocks are made equal and as many
   * per thread, so the threads finish together. Measured at ML-20M's shape, per step: 2,048 against 1,024 columns
   * took Adam 8.6 instead of 9.6 ms (a row of a block is a longer stretch of W, m and v to stream) and the two
   * products 1.4 ms less; 512 was 9 ms slower, 4,096 the same as 2,048.
   */
  static final int UPDATE_BLOCK = 2048;

  /** Block widths are multiples of a cache line (16 floats). */
  private static final int BLOCK_ALIGNMENT = 16;

  /** The plain affine layer: its parameters and buffers, and the {@link Layer} path. */
  private final Linear affine;
  private final Parameter weight;
  private final Parameter bias;
  private final Matrix logits;
  private final Matrix gradInput;
  private final Parallel parallel;
  private final MultinomialLikelihood likelihood;
  private final Kernels kernels = Kernels.best();
  private final Scratch biasGradients;
  private final Matrix[] gradientBlocks;
  /** Per-thread partial sums of ∂h for threads 1, 2, …; thread 0 sums into {@link #gradInput}. */
  private final Matrix[] partialGradInputs;
  private float[] biasValues = new float[0];
  private double[] rowLosses = new double[0];
  private Matrix lastInput;
  /** Set by {@link #forwardLoss}, cleared by {@link #backwardLoss}: the logits buffer then holds ∂logits. */
  private boolean lossGradientReady;
  /**
   * Rows of the logits buffer known to hold zeros (0 when none are): the block-wise backward pass clears each block
   * after its last use, so that the next {@link #forwardLoss} adds its product to zeros ({@code beta = 1}) instead of
   * having OpenBLAS clear the 40 MB first — a pass over memory the lines of which are no longer in cache (measured:
   * OpenBLAS's clearing, {@code sgemm_beta}, took 2.7% of a training run's cycles). Zero plus a product is the
   * product, bit for bit.
   */
  private int clearedRows;
  private static final float[] ZEROS = new float[UPDATE_BLOCK];
  private static final Runnable NOTHING = () -> {};

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
    this.biasGradients = new Scratch(parallel.threads());
    this.gradientBlocks = new Matrix[parallel.threads()];
    this.partialGradInputs = new Matrix[parallel.threads()];
  }

  /** {@code h · W + b}: the logits, in a buffer owned by the layer. */
  @Override
  public Matrix forward(Matrix input, boolean training) {
    lossGradientReady = false;
    clearedRows = 0;
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
   * gradient of that mean with respect to the logits, and {@code ∂b} (stored in the bias parameter).
   * {@link #backwardLoss} then yields {@code ∂W} and {@code ∂h}. The result equals {@link #forward} followed by
   * {@link MultinomialLikelihood#lossAndGradient} and {@link #backward}, up to float rounding.
   */
  public double forwardLoss(Matrix input, SparseBatch targets) {
    return forwardLoss(input, targets, NOTHING);
  }

  /**
   * {@link #forwardLoss(Matrix, SparseBatch)}, running {@code afterProduct} between the product {@code h · W} and the
   * likelihood's pass over its rows (so that a benchmark can time the two apart).
   */
  public double forwardLoss(Matrix input, SparseBatch targets, Runnable afterProduct) {
    int rows = input.rows();
    if (targets.rows() != rows) {
      throw new IllegalArgumentException("targets have " + targets.rows() + " rows, the input " + rows);
    }
    int items = logits.cols();
    logits.setRows(rows);
    lastInput = input;
    Blas.gemm(parallel, false, false, 1f, input, weight.value(), rows <= clearedRows ? 1f : 0f, logits);
    clearedRows = 0;
    afterProduct.run();
    if (biasValues.length != items) {
      biasValues = new float[items];
    }
    bias.value().buffer().get(0, biasValues, 0, items);
    if (rowLosses.length < rows) {
      rowLosses = new double[rows];
    }
    float invRows = rows == 0 ? 0f : 1f / rows;
    ByteBuffer values = logits.bytes();
    double[] losses = rowLosses;
    int chunks = parallel.threads();
    for (int c = 0; c < chunks; c++) {
      java.util.Arrays.fill(biasGradients.get(c, items), 0, items, 0f);
    }
    parallel.forChunks(
        rows,
        1,
        (chunk, from, to) ->
            likelihood.rowsLossAndGradient(
                values, chunk, from, to, items, targets, invRows, biasValues, biasGradients.get(chunk, items),
                losses));
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
   * Finishes the backward pass of the last {@link #forwardLoss}: {@code ∂h = ∂logits · Wᵀ} and
   * {@code ∂W = hᵀ · ∂logits}, the latter handed to {@code update} block by block when given (the weight's stored
   * gradient is then left alone), else stored in the weight parameter. Returns {@code ∂h}. Afterwards the layer's
   * logits buffer no longer holds logits.
   *
   * @throws IllegalStateException without a preceding {@link #forwardLoss}
   */
  public Matrix backwardLoss(ColumnBlockUpdate update) {
    if (!lossGradientReady) {
      throw new IllegalStateException("backwardLoss needs a preceding forwardLoss");
    }
    lossGradientReady = false;
    gradInput.setRows(logits.rows());
    ColumnBlockUpdate sink = update != null ? update : this::storeGradientBlock;
    if (Blas.splitsOver(parallel) || parallel.threads() == 1) {
      backwardByBlocks(sink);
    } else {
      // OpenBLAS runs its own threads: whole products, then the update over column ranges of the stored gradient
      Matrix gradient = weight.gradient();
      Blas.gemm(parallel, false, true, 1f, logits, weight.value(), 0f, gradInput);
      Blas.gemm(parallel, true, false, 1f, lastInput, logits, 0f, gradient);
      if (update != null) {
        int items = gradient.cols();
        parallel.forChunks(
            items, UPDATE_BLOCK, (chunk, from, to) -> update.apply(chunk, from, to, gradient, from, items));
      }
    }
    return gradInput;
  }

  /**
   * Each thread walks its own blocks of item columns: adds the block's share of ∂h to its partial sum, computes the
   * block of ∂W into its own buffer and hands it to {@code sink}; then the partial sums of ∂h are added in thread
   * order. One-thread products throughout.
   */
  private void backwardByBlocks(ColumnBlockUpdate sink) {
    int in = weight.value().rows();
    int items = weight.value().cols();
    int threads = parallel.threads();
    int blocks = (items + UPDATE_BLOCK - 1) / UPDATE_BLOCK;
    blocks = (blocks + threads - 1) / threads * threads;
    int perBlock = (items + blocks - 1) / blocks;
    int width = (perBlock + BLOCK_ALIGNMENT - 1) / BLOCK_ALIGNMENT * BLOCK_ALIGNMENT; // <= UPDATE_BLOCK
    int rows = logits.rows();
    // as many blocks for each thread: every thread runs a chunk, so each partial sum below is written
    parallel.forChunks(
        blocks,
        1,
        (chunk, from, to) -> {
          Matrix block = gradientBlock(chunk, in);
          Matrix partial = chunk == 0 ? gradInput : partialGradInput(chunk, in).setRows(rows);
          float beta = 0f; // the first block of a thread overwrites its partial sum
          for (int b = from; b < to; b++) {
            int start = Math.min(items, b * width);
            int end = Math.min(items, start + width);
            if (start == end) {
              continue;
            }
            Blas.gemmInnerRange(false, true, 1f, logits, weight.value(), beta, partial, start, end);
            beta = 1f;
            Blas.gemmColumnBlock(true, 1f, lastInput, logits, start, end, block);
            clearColumns(start, end, rows, items); // the block's last use in this step: cleared while in cache
            sink.apply(chunk, start, end, block, 0, UPDATE_BLOCK);
          }
          if (beta == 0f) {
            partial.fill(0f); // no columns left for this thread
          }
        });
    for (int chunk = 1; chunk < threads; chunk++) {
      Blas.axpy(1f, partialGradInputs[chunk], gradInput);
    }
    clearedRows = rows;
  }

  /** Zeroes columns {@code [from, to)} of the logits buffer's first {@code rows} rows. */
  private void clearColumns(int from, int to, int rows, int items) {
    FloatBuffer values = logits.buffer();
    for (int r = 0; r < rows; r++) {
      values.put(r * items + from, ZEROS, 0, to - from);
    }
  }

  /** Copies a block of ∂W into the weight's stored gradient (the backward pass without an optimiser). */
  private void storeGradientBlock(int chunk, int from, int to, Matrix block, int offset, int stride) {
    FloatBuffer source = block.buffer();
    FloatBuffer target = weight.gradient().buffer();
    int items = weight.gradient().cols();
    for (int r = 0; r < weight.gradient().rows(); r++) {
      target.put(r * items + from, source, offset + r * stride, to - from);
    }
  }

  private Matrix gradientBlock(int chunk, int in) {
    if (gradientBlocks[chunk] == null) {
      gradientBlocks[chunk] = Matrix.zeros(in, UPDATE_BLOCK);
    }
    return gradientBlocks[chunk];
  }

  private Matrix partialGradInput(int chunk, int in) {
    if (partialGradInputs[chunk] == null) {
      partialGradInputs[chunk] = Matrix.zeros(gradInput.capacityRows(), in);
    }
    return partialGradInputs[chunk];
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
    for (Matrix[] buffers : List.of(gradientBlocks, partialGradInputs)) {
      for (Matrix buffer : buffers) {
        if (buffer != null) {
          buffer.close();
        }
      }
    }
  }
}
