package org.vaecf.nn;

import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;

/**
 * Elementwise {@code tanh}; its backward pass uses the stored output: {@code ∂x = ∂y ⊙ (1 − y²)}. The activations
 * are small (batch × hidden), so they are copied whole into heap arrays for the SIMD kernels.
 */
public final class Tanh implements Layer {
  private final Matrix output;
  private final Matrix gradInput;
  private final Kernels kernels = Kernels.best();
  private float[] a = new float[0];
  private float[] b = new float[0];
  private float[] c = new float[0];

  /**
   * @param width number of columns
   * @param maxBatch most rows a batch may have
   */
  public Tanh(int width, int maxBatch) {
    this.output = Matrix.zeros(maxBatch, width);
    this.gradInput = Matrix.zeros(maxBatch, width);
  }

  @Override
  public Matrix forward(Matrix input, boolean training) {
    output.setRows(input.rows());
    int n = output.size();
    ensure(n);
    input.buffer().get(0, a, 0, n);
    kernels.tanh(a, b, n);
    output.buffer().put(0, b, 0, n);
    return output;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    gradInput.setRows(gradOutput.rows());
    int n = gradInput.size();
    ensure(n);
    output.buffer().get(0, a, 0, n);
    gradOutput.buffer().get(0, b, 0, n);
    kernels.tanhBackward(a, b, c, n);
    gradInput.buffer().put(0, c, 0, n);
    return gradInput;
  }

  private void ensure(int n) {
    if (a.length < n) {
      a = new float[n];
      b = new float[n];
      c = new float[n];
    }
  }

  @Override
  public void close() {
    output.close();
    gradInput.close();
  }
}
