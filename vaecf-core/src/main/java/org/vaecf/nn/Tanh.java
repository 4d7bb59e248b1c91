package org.vaecf.nn;

import java.nio.ByteBuffer;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * Elementwise {@code tanh}; its backward pass uses the stored output: {@code ∂x = ∂y ⊙ (1 − y²)}. The activations
 * are read and written in direct memory by the SIMD kernels, a range per thread.
 */
public final class Tanh implements Layer {
  /** Entries per thread at least: smaller activations (a service's few users) are not worth a hand-over. */
  private static final int MIN_CHUNK = 16_384;

  private final Matrix output;
  private final Matrix gradInput;
  private final Kernels kernels = Kernels.best();
  private final Parallel parallel;

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
    ByteBuffer in = input.bytes();
    ByteBuffer out = output.bytes();
    parallel.forRange(output.size(), MIN_CHUNK, (from, to) -> kernels.tanh(in, out, from, to - from));
    return output;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    gradInput.setRows(gradOutput.rows());
    ByteBuffer y = output.bytes();
    ByteBuffer dy = gradOutput.bytes();
    ByteBuffer dx = gradInput.bytes();
    parallel.forRange(gradInput.size(), MIN_CHUNK, (from, to) -> kernels.tanhBackward(y, dy, dx, from, to - from));
    return gradInput;
  }

  @Override
  public void close() {
    output.close();
    gradInput.close();
  }
}
