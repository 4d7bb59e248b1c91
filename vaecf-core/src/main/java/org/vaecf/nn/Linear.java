package org.vaecf.nn;

import java.util.List;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * A dense affine layer {@code y = x · W + b} with {@code W} of shape in × out (the notebook's layout). All three
 * products of a training step go to BLAS: {@code x·W}, {@code ∂W = xᵀ·∂y} and {@code ∂x = ∂y·Wᵀ}.
 */
public final class Linear implements Layer {
  private static final int MIN_ROWS_PER_THREAD = 32;
  private final Parameter weight;
  private final Parameter bias;
  private final Matrix output;
  private final Matrix gradInput;
  private final Matrix ones;
  private final Parallel parallel;
  private Matrix lastInput;

  /**
   * @param name prefix of the parameter names ({@code name.weight}, {@code name.bias})
   * @param in input width
   * @param out output width
   * @param maxBatch most rows a batch may have
   * @param parallel threads the products are split over when OpenBLAS runs one thread ({@link Blas#gemm(Parallel,
   *     boolean, boolean, float, Matrix, Matrix, float, Matrix)})
   */
  public Linear(String name, int in, int out, int maxBatch, Parallel parallel) {
    this.weight = Parameter.zeros(name + ".weight", in, out, true);
    this.bias = Parameter.zeros(name + ".bias", 1, out, false);
    this.output = Matrix.zeros(maxBatch, out);
    this.gradInput = Matrix.zeros(maxBatch, in);
    this.ones = Layers.ones(maxBatch);
    this.parallel = parallel;
  }

  @Override
  public Matrix forward(Matrix input, boolean training) {
    int rows = input.rows();
    output.setRows(rows);
    lastInput = input;
    if (splitsRows(rows)) {
      // each thread its rows: the bias, then the product added to it (one hand-over instead of a broadcast and a
      // product apart)
      parallel.forChunks(
          rows,
          1,
          (chunk, from, to) -> {
            Layers.broadcastRow(bias.value(), output, from, to);
            Blas.gemmRowRange(false, false, 1f, input, weight.value(), 1f, output, from, to);
          });
      return output;
    }
    Layers.broadcastRow(bias.value(), output, 0, rows);
    Blas.gemm(parallel, false, false, 1f, input, weight.value(), 1f, output);
    return output;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    if (lastInput == null) {
      throw new IllegalStateException("backward called before forward");
    }
    int rows = gradOutput.rows();
    gradInput.setRows(rows);
    if (splitsRows(rows)) {
      // both products in one parallel loop, each thread its rows of ∂W and of ∂x; the first also sums ∂b
      Matrix weightGradient = weight.gradient();
      parallel.forChunks(
          parallel.threads(),
          1,
          (chunk, first, last) -> {
            int threads = parallel.threads();
            int in = weightGradient.rows();
            Blas.gemmRowRange(true, false, 1f, lastInput, gradOutput, 0f, weightGradient, in * chunk / threads,
                in * (chunk + 1) / threads);
            Blas.gemmRowRange(false, true, 1f, gradOutput, weight.value(), 0f, gradInput, rows * chunk / threads,
                rows * (chunk + 1) / threads);
            if (chunk == 0) {
              Layers.columnSums(gradOutput, ones, bias.gradient());
            }
          });
      return gradInput;
    }
    Blas.gemm(parallel, true, false, 1f, lastInput, gradOutput, 0f, weight.gradient());
    Layers.columnSums(gradOutput, ones, bias.gradient());
    Blas.gemm(parallel, false, true, 1f, gradOutput, weight.value(), 0f, gradInput);
    return gradInput;
  }

  /**
   * Whether a batch of {@code rows} is split over the threads by rows, as one-thread products: when OpenBLAS runs
   * one thread and every thread gets at least {@link #MIN_ROWS_PER_THREAD} rows (a service's few users are not worth
   * a hand-over).
   */
  private boolean splitsRows(int rows) {
    return Blas.splitsOver(parallel) && rows >= MIN_ROWS_PER_THREAD * parallel.threads();
  }

  /** The buffer {@link #forward} writes (max batch × out), for a layer built on this one. */
  Matrix output() {
    return output;
  }

  /** The buffer {@link #backward} writes ∂x to (max batch × in), for a layer built on this one. */
  Matrix gradInput() {
    return gradInput;
  }

  /** The weight parameter (in × out). */
  public Parameter weight() {
    return weight;
  }

  /** The bias parameter (1 × out). */
  public Parameter bias() {
    return bias;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }

  @Override
  public void close() {
    Layer.super.close();
    output.close();
    gradInput.close();
    ones.close();
  }
}
