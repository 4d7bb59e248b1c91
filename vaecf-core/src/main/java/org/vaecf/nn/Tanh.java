package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Matrix;

/** Elementwise {@code tanh}; its backward pass uses the stored output: {@code ∂x = ∂y ⊙ (1 − y²)}. */
public final class Tanh implements Layer {
  private final Matrix output;
  private final Matrix gradInput;

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
    FloatBuffer in = input.buffer();
    FloatBuffer out = output.buffer();
    int n = output.size();
    for (int i = 0; i < n; i++) {
      out.put(i, (float) Math.tanh(in.get(i)));
    }
    return output;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    gradInput.setRows(gradOutput.rows());
    FloatBuffer y = output.buffer();
    FloatBuffer dy = gradOutput.buffer();
    FloatBuffer dx = gradInput.buffer();
    int n = gradInput.size();
    for (int i = 0; i < n; i++) {
      float value = y.get(i);
      dx.put(i, dy.get(i) * (1f - value * value));
    }
    return gradInput;
  }
}
