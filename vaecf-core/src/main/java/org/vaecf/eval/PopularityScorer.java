package org.vaecf.eval;

import java.nio.FloatBuffer;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.TopK;

/**
 * The popularity baseline: every user gets the same scores, each item's number of users in a training matrix. It
 * ignores the fold-in items except that the {@link Evaluator} removes them from the ranking, so it recommends the most
 * popular items the user has not interacted with. Ties (equal counts) rank the lower item index first, as
 * {@link TopK} does for any scorer.
 *
 * <p>Counts are stored as {@code float}, exact up to 2<sup>24</sup> users per item. Not thread-safe: the returned
 * buffer is reused by the next call.
 */
public final class PopularityScorer implements BatchScorer {
  private final float[] popularity;
  private float[] block = new float[0];
  private int blockRows;

  /** Counts each item's users in {@code train} (rows are users, columns items). */
  public PopularityScorer(CsrMatrix train) {
    int[] counts = train.columnCounts();
    popularity = new float[counts.length];
    for (int i = 0; i < counts.length; i++) {
      popularity[i] = counts[i];
    }
  }

  /** Number of items scored. */
  public int items() {
    return popularity.length;
  }

  /** A copy of the score of every item: its number of training users. */
  public float[] popularity() {
    return popularity.clone();
  }

  /**
   * Returns a read-only {@code rows × items} block whose every row is the item popularity.
   *
   * @throws IllegalArgumentException if {@code foldInRows} does not have one column per item
   */
  @Override
  public FloatBuffer score(CsrMatrix foldInRows) {
    int items = popularity.length;
    if (foldInRows.cols() != items) {
      throw new IllegalArgumentException(
          "fold-in rows have " + foldInRows.cols() + " columns but the popularity scorer knows " + items + " items");
    }
    int rows = foldInRows.rows();
    if (rows > blockRows) {
      // every row holds the same scores, so the block is filled once and only regrown for larger batches
      block = new float[Math.multiplyExact(rows, items)];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(popularity, 0, block, r * items, items);
      }
      blockRows = rows;
    }
    return FloatBuffer.wrap(block, 0, rows * items).slice().asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "PopularityScorer[" + popularity.length + " items]";
  }
}
