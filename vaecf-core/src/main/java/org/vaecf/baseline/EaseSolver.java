package org.vaecf.baseline;

import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;

/**
 * EASE's closed form for one λ: {@code P = (G + λI)⁻¹} by Cholesky factorisation and inversion in LAPACK
 * ({@code ?potrf}, {@code ?potri}: {@code G + λI} is symmetric positive definite for λ > 0), then
 * {@code B = I − P·diag(1/diag P)}, i.e. {@code B[i][j] = −P[i][j] / P[j][j]} off the diagonal and 0 on it.
 *
 * <p>The matrix lives off the heap (a JavaCPP pointer, which may exceed 2 GB) and moves to and from Java one row at a
 * time. LAPACK fills only the upper triangle, which holds all of the symmetric {@code P}.
 */
final class EaseSolver {
  private static final byte UPPER = (byte) 'U';

  private EaseSolver() {}

  /**
   * The row-major {@code items × items} weights {@code B} for {@code lambda}.
   *
   * @throws IllegalStateException if LAPACK reports a failure (it cannot for λ > 0 unless memory is corrupt)
   */
  static float[] weights(GramMatrix gram, double lambda, Precision precision) {
    return precision == Precision.FLOAT32 ? weightsFloat(gram, lambda) : weightsDouble(gram, lambda);
  }

  private static float[] weightsDouble(GramMatrix gram, double lambda) {
    int n = gram.items();
    double[] row = new double[n];
    DoublePointer matrix = new DoublePointer((long) n * n);
    try {
      for (int i = 0; i < n; i++) {
        gram.upperRow(i, lambda, row);
        matrix.position((long) i * n).put(row, 0, n);
      }
      matrix.position(0);
      check("dpotrf", openblas.LAPACKE_dpotrf(LAPACK_ROW_MAJOR, UPPER, n, matrix, n));
      check("dpotri", openblas.LAPACKE_dpotri(LAPACK_ROW_MAJOR, UPPER, n, matrix, n));
      double[] diagonal = new double[n];
      for (int j = 0; j < n; j++) {
        diagonal[j] = matrix.get((long) j * n + j);
      }
      float[] weights = new float[n * n];
      for (int i = 0; i < n; i++) {
        matrix.position((long) i * n).get(row, 0, n);
        for (int j = i + 1; j < n; j++) {
          double p = row[j];
          weights[i * n + j] = (float) (-p / diagonal[j]);
          weights[j * n + i] = (float) (-p / diagonal[i]);
        }
      }
      return weights;
    } finally {
      free(matrix);
    }
  }

  private static float[] weightsFloat(GramMatrix gram, double lambda) {
    int n = gram.items();
    float[] row = new float[n];
    FloatPointer matrix = new FloatPointer((long) n * n);
    try {
      for (int i = 0; i < n; i++) {
        gram.upperRow(i, lambda, row);
        matrix.position((long) i * n).put(row, 0, n);
      }
      matrix.position(0);
      check("spotrf", openblas.LAPACKE_spotrf(LAPACK_ROW_MAJOR, UPPER, n, matrix, n));
      check("spotri", openblas.LAPACKE_spotri(LAPACK_ROW_MAJOR, UPPER, n, matrix, n));
      float[] diagonal = new float[n];
      for (int j = 0; j < n; j++) {
        diagonal[j] = matrix.get((long) j * n + j);
      }
      float[] weights = new float[n * n];
      for (int i = 0; i < n; i++) {
        matrix.position((long) i * n).get(row, 0, n);
        for (int j = i + 1; j < n; j++) {
          float p = row[j];
          weights[i * n + j] = -p / diagonal[j];
          weights[j * n + i] = -p / diagonal[i];
        }
      }
      return weights;
    } finally {
      free(matrix);
    }
  }

  private static void check(String routine, int info) {
    if (info < 0) {
      throw new IllegalStateException("LAPACK " + routine + ": argument " + (-info) + " is invalid");
    }
    if (info > 0) {
      throw new IllegalStateException(
          "LAPACK " + routine + ": the matrix is not positive definite (leading minor " + info + ")");
    }
  }

  private static void free(Pointer pointer) {
    pointer.position(0);
    pointer.deallocate();
  }
}
