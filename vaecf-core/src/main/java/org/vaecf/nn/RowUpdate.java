package org.vaecf.nn;

/**
 * An optimiser step applied to single rows of a row-sparse weight ({@link SparseRows}) as a layer computes their
 * gradients: the gradient row is consumed in cache and never stored. The first layer of Mult-VAE touches about half
 * of its 20,108 × 600 weight per step at ML-20M's shape; handing each row over spares writing, re-reading and clearing
 * those rows of ∂W. See {@link SparseLinear#backward(org.vaecf.linalg.Matrix, RowUpdate)}.
 *
 * <p>Rows of one step are distinct and may be applied concurrently.
 */
@FunctionalInterface
public interface RowUpdate {
  /**
   * Updates row {@code row} of the weight from its gradient {@code gradient[offset .. offset + width)}.
   *
   * @param chunk the number of the calling parallel chunk (for per-thread scratch space)
   * @param nextRow the row the calling thread hands over next, or −1: the update may start reading it
   */
  void apply(int chunk, int row, float[] gradient, int offset, int nextRow);
}
