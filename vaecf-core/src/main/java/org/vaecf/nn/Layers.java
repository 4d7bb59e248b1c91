package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;

/** Small helpers shared by the layers. */
final class Layers {
  private Layers() {}

  /** Copies the single row {@code row} into rows {@code [from, to)} of {@code target}. */
  static void broadcastRow(Matrix row, Matrix target, int from, int to) {
    FloatBuffer source = row.buffer();
    FloatBuffer destination = target.buffer();
    int cols = target.cols();
    for (int r = from; r < to; r++) {
      destination.put(r * cols, source, 0, cols);
    }
  }

  /** A 1 × {@code length} matrix of ones. */
  static Matrix ones(int length) {
    Matrix ones = Matrix.zeros(1, length);
    ones.fill(1f);
    return ones;
  }

  /** Writes the column sums of {@code matrix} into {@code sums} (1 × cols); {@code ones} is long enough. */
  static void columnSums(Matrix matrix, Matrix ones, Matrix sums) {
    Blas.gemvTransposed(1f, matrix, ones, 0f, sums);
  }
}
