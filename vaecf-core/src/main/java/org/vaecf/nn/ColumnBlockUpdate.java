package org.vaecf.nn;

import org.vaecf.linalg.Matrix;

/**
 * An optimiser step applied to a weight matrix one block of columns at a time, as a layer computes the gradient of
 * that block: the gradient is consumed while it is still in cache and never stored whole. For the output layer of
 * Mult-VAE (600 × items) this spares writing and re-reading an item-sized gradient every step; see
 * {@link OutputLayer#backwardLoss}.
 *
 * <p>Blocks of one step are disjoint and may be applied concurrently, each on the thread that computed it.
 */
@FunctionalInterface
public interface ColumnBlockUpdate {
  /**
   * Updates columns {@code [from, to)} of the weight, every row, from their gradient: the gradient of entry
   * {@code (row, from + j)} is entry {@code offset + row · stride + j} of {@code gradient}'s buffer (a direct matrix).
   *
   * @param chunk the number of the calling parallel chunk (for per-thread scratch space)
   */
  void apply(int chunk, int from, int to, Matrix gradient, int offset, int stride);
}
