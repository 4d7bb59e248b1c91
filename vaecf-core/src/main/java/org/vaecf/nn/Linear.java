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
    Layers.broadcastRow(bias.value(), output);
    Blas.gemm(parallel, false, false, 1f, input, weight.value(), 1f, output);
    lastInput = input;
    return output;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    if (lastInput == null) {
      throw new IllegalStateException("backward called before forward");
    }
    int rows = gradOutput.rows();
    Blas.gemm(parallel, true, false, 1f, lastInput, gradOutput, 0f, weight.gradient());
    Layers.columnSums(gradOutput, ones, bias.gradient());
    gradInput.setRows(rows);
    Blas.gemm(parallel, false, true, 1f, gradOutput, weight.value(), 0f, gradInput);
    return gradInput;
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
