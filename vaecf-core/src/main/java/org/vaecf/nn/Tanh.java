package org.vaecf.nn;

import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * Elementwise {@code tanh}; its backward pass uses the stored output: {@code ∂x = ∂y ⊙ (1 − y²)}. The activations
 * are small (batch × hidden), so they are copied into heap arrays for the SIMD kernels, a range per thread.
 */
public final class Tanh implements Layer {
  /** Entries per thread at least: smaller activations (a service's few users) are not worth a hand-over. */
  private static final int MIN_CHUNK = 16_384;

  private final Matrix output;
  private final Matrix gradInput;
  private final Kernels kernels = Kernels.best();
  private final Parallel parallel;
  private float[] a = new float[0];
  private float[] b = new float[0];
  private float[] c = new float[0];

  /**
   * @param width number of columns
   * @param maxBatch most rows a batch may have
   */
  public Tanh(int width, int maxBatch) {
    this(width, maxBatch, new Parallel(1));
  }

  /**
   * @param width number of columns
   * @param maxBatch most rows a batch may have
   * @param parallel threads for the elementwise loops (a batch of the paper's shape, 500 × 600, takes 0.6 ms on one)
   */
  public Tanh(int width, int maxBatch, Parallel parallel) {
    this.output = Matrix.zeros(maxBatch, width);
    this.gradInput = Matrix.zeros(maxBatch, width);
    this.parallel = parallel;
  }

  @Override
  public Matrix forward(Matrix input, boolean training) {
    output.setRows(input.rows());
    int n = output.size();
    ensure(n);
    parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          input.buffer().get(from, a, from, to - from);
          kernels.tanh(a, b, from, to - from);
          output.buffer().put(from, b, from, to - from);
        });
    return output;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    gradInput.setRows(gradOutput.rows());
    int n = gradInput.size();
    ensure(n);
    parallel.forRange(
        n,
        MIN_CHUNK,
        (from, to) -> {
          output.buffer().get(from, a, from, to - from);
          gradOutput.buffer().get(from, b, from, to - from);
          kernels.tanhBackward(a, b, c, from, to - from);
          gradInput.buffer().put(from, c, from, to - from);
        });
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
