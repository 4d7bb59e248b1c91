package org.vaecf.baseline;

import org.vaecf.data.CsrMatrix;

/**
 * The item co-occurrence counts {@code G = XᵀX} of a binary users × items matrix, kept as exact integers so that every
 * λ of a grid starts from the same matrix. Only the upper triangle (row ≤ column) is filled, which is what the
 * Cholesky routines read.
 */
final class GramMatrix {
  private final int items;
  private final int[] counts;

  private GramMatrix(int items, int[] counts) {
    this.items = items;
    this.counts = counts;
  }

  /**
   * Counts co-occurrences user by user: a user with {@code n} items adds {@code n(n+1)/2} pairs, so the cost is the
   * sum of squared row lengths rather than {@code users × items²}.
   *
   * @throws IllegalArgumentException if {@code items²} exceeds the largest Java array
   */
  static GramMatrix of(CsrMatrix train) {
    int items = train.cols();
    long size = (long) items * items;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "EASE needs an items x items matrix; " + items + " items exceed the " + (int) Math.sqrt(Integer.MAX_VALUE)
              + " this implementation holds");
    }
    int[] counts = new int[(int) size];
    int[] pointers = train.rowPointers();
    int[] columns = train.colIndexes();
    for (int u = 0; u < train.rows(); u++) {
      int end = pointers[u + 1];
      for (int a = pointers[u]; a < end; a++) {
        int base = columns[a] * items;
        // columns are strictly increasing within a row, so every pair lands in the upper triangle
        for (int b = a; b < end; b++) {
          counts[base + columns[b]]++;
        }
      }
    }
    return new GramMatrix(items, counts);
  }

  int items() {
    return items;
  }

  /** Row {@code row} of the upper triangle plus {@code lambda} on the diagonal, as doubles (columns before the diagonal are 0). */
  void upperRow(int row, double lambda, double[] out) {
    int base = row * items;
    java.util.Arrays.fill(out, 0, row, 0.0);
    for (int c = row; c < items; c++) {
      out[c] = counts[base + c];
    }
    out[row] += lambda;
  }

  /** The same as {@link #upperRow(int, double, double[])} in float32. */
  void upperRow(int row, double lambda, float[] out) {
    int base = row * items;
    java.util.Arrays.fill(out, 0, row, 0f);
    for (int c = row; c < items; c++) {
      out[c] = counts[base + c];
    }
    out[row] += (float) lambda;
  }
}
