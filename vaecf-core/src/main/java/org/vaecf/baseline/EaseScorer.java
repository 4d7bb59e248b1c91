package org.vaecf.baseline;

import java.nio.FloatBuffer;
import org.vaecf.data.CsrMatrix;
import org.vaecf.eval.BatchScorer;

/**
 * Scores users with EASE: row {@code u} of the result is {@code Σ B[i]} over the user's fold-in items {@code i}, which
 * is {@code x·B} for the binary row {@code x}. Adding rows costs {@code nnz × items}, far less than a dense product
 * for click data. Not thread-safe: the returned buffer is reused by the next call.
 */
public final class EaseScorer implements BatchScorer {
  private final int items;
  private final float[] weights;
  private float[] block = new float[0];

  EaseScorer(int items, float[] weights) {
    this.items = items;
    this.weights = weights;
  }

  /**
   * @throws IllegalArgumentException if {@code foldInRows} does not have one column per item
   */
  @Override
  public FloatBuffer score(CsrMatrix foldInRows) {
    if (foldInRows.cols() != items) {
      throw new IllegalArgumentException(
          "fold-in rows have " + foldInRows.cols() + " columns but the EASE model knows " + items + " items");
    }
    int rows = foldInRows.rows();
    int needed = Math.multiplyExact(rows, items);
    if (block.length < needed) {
      block = new float[needed];
    }
    java.util.Arrays.fill(block, 0, needed, 0f);
    int[] pointers = foldInRows.rowPointers();
    int[] columns = foldInRows.colIndexes();
    for (int u = 0; u < rows; u++) {
      int out = u * items;
      for (int k = pointers[u]; k < pointers[u + 1]; k++) {
        int from = columns[k] * items;
        for (int j = 0; j < items; j++) {
          block[out + j] += weights[from + j];
        }
      }
    }
    return FloatBuffer.wrap(block, 0, needed).slice().asReadOnlyBuffer();
  }
}
