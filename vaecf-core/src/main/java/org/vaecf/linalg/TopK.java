package org.vaecf.linalg;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Selects the {@code k} best-scored items of one score row, best first, skipping a sorted list of excluded items
 * (typically the user's fold-in items, which the reference notebook masks with {@code -inf}).
 *
 * <p><b>Order.</b> Higher scores rank first. Equal scores rank by item index, lower first, so the result is fully
 * determined by the scores ({@code -0.0f} and {@code 0.0f} count as equal). NaN ranks below every number, including
 * {@code -Infinity}; NaN-scored items are still returned, last, when fewer than {@code k} other items remain. When
 * fewer than {@code k} items are left after exclusion, all of them are returned.
 *
 * <p><b>Cost.</b> One pass over the row keeps the best {@code k} so far in a bounded min-heap whose root is the
 * worst kept item, so an item that does not beat the root costs two comparisons; the final ordering sorts only the
 * kept items. That is O(I + m log k) for a row of I items of which m ever enter the heap, and O(k log k) to order
 * them, with no full sort of the row.
 *
 * <p>An instance keeps its heap as reusable scratch: it allocates nothing per call (beyond the result array of the
 * convenience method) and is <b>not thread-safe</b>; use one instance per thread.
 */
public final class TopK {
  private final int k;
  private final float[] heapScores;
  private final int[] heapItems;
  private int size;

  /**
   * @param k how many items to select
   * @throws IllegalArgumentException if {@code k <= 0}
   */
  public TopK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    this.k = k;
    this.heapScores = new float[k];
    this.heapItems = new int[k];
  }

  /** The number of items a call selects at most. */
  public int k() {
    return k;
  }

  /**
   * Selects from the row {@code scores.get(offset + i)}, {@code i = 0 .. items-1}, reading with absolute gets (the
   * buffer's position and limit are not changed, so a shared read-only buffer may be used by several threads, each
   * with its own {@code TopK}).
   *
   * @param excluded holds, in {@code [excludedFrom, excludedTo)}, the item indexes to skip, strictly increasing and
   *     in {@code [0, items)} — a row of a {@code CsrMatrix} qualifies as it is
   * @param out receives the selected item indexes, best first, in {@code out[0 .. n)}
   * @return {@code n}, the number of items selected: {@code min(k, items - (excludedTo - excludedFrom))}
   * @throws IllegalArgumentException if the exclusion range is not strictly increasing and within the row, or
   *     {@code out} is shorter than the result
   */
  public int select(
      FloatBuffer scores, int offset, int items, int[] excluded, int excludedFrom, int excludedTo, int[] out) {
    Objects.checkFromIndexSize(offset, items, scores.limit());
    int n = prepare(items, excluded, excludedFrom, excludedTo, out);
    int e = excludedFrom;
    for (int i = 0; i < items; i++) {
      if (e < excludedTo && excluded[e] == i) {
        e++;
      } else {
        offer(scores.get(offset + i), i);
      }
    }
    return drainInto(out, n);
  }

  /**
   * Selects from the row {@code scores[offset + i]}, {@code i = 0 .. items-1}; otherwise as
   * {@link #select(FloatBuffer, int, int, int[], int, int, int[])}.
   */
  public int select(
      float[] scores, int offset, int items, int[] excluded, int excludedFrom, int excludedTo, int[] out) {
    Objects.checkFromIndexSize(offset, items, scores.length);
    int n = prepare(items, excluded, excludedFrom, excludedTo, out);
    int e = excludedFrom;
    for (int i = 0; i < items; i++) {
      if (e < excludedTo && excluded[e] == i) {
        e++;
      } else {
        offer(scores[offset + i], i);
      }
    }
    return drainInto(out, n);
  }

  /**
   * Selects over the whole of {@code scores}, skipping {@code excluded} (strictly increasing item indexes), and
   * returns a new array of the selected item indexes, best first.
   */
  public int[] select(float[] scores, int[] excluded) {
    int available = scores.length - excluded.length;
    int[] out = new int[Math.max(0, Math.min(k, available))];
    select(scores, 0, scores.length, excluded, 0, excluded.length, out);
    return out;
  }

  /**
   * Whether (score {@code a}, item {@code itemA}) ranks before (score {@code b}, item {@code itemB}) in the order
   * described on this class.
   */
  static boolean ranksBefore(float a, int itemA, float b, int itemB) {
    if (a > b) {
      return true;
    }
    if (a < b) {
      return false;
    }
    boolean aIsNaN = a != a;
    boolean bIsNaN = b != b;
    if (aIsNaN != bIsNaN) {
      return bIsNaN;
    }
    return itemA < itemB; // equal numbers, or both NaN
  }

  private int prepare(int items, int[] excluded, int excludedFrom, int excludedTo, int[] out) {
    Objects.checkFromToIndex(excludedFrom, excludedTo, excluded.length);
    int previous = -1;
    for (int e = excludedFrom; e < excludedTo; e++) {
      int item = excluded[e];
      if (item <= previous || item >= items) {
        throw new IllegalArgumentException(
            "excluded items must be strictly increasing and in [0, " + items + "), got " + item + " after "
                + previous);
      }
      previous = item;
    }
    int n = Math.min(k, items - (excludedTo - excludedFrom));
    if (out.length < n) {
      throw new IllegalArgumentException("out has room for " + out.length + " items but " + n + " are selected");
    }
    size = 0;
    return n;
  }

  private void offer(float score, int item) {
    if (size < k) {
      int pos = size++;
      // sift up: a kept item moves above its parent while the parent ranks before it
      while (pos > 0) {
        int parent = (pos - 1) >>> 1;
        if (!ranksBefore(heapScores[parent], heapItems[parent], score, item)) {
          break;
        }
        heapScores[pos] = heapScores[parent];
        heapItems[pos] = heapItems[parent];
        pos = parent;
      }
      heapScores[pos] = score;
      heapItems[pos] = item;
    } else if (ranksBefore(score, item, heapScores[0], heapItems[0])) {
      siftDownFromRoot(score, item);
    }
  }

  /** Puts (score, item) at the root's place and sinks it below every child that ranks after it. */
  private void siftDownFromRoot(float score, int item) {
    int pos = 0;
    while (true) {
      int child = 2 * pos + 1;
      if (child >= size) {
        break;
      }
      int right = child + 1;
      if (right < size && ranksBefore(heapScores[child], heapItems[child], heapScores[right], heapItems[right])) {
        child = right; // the worse child must rise
      }
      if (!ranksBefore(score, item, heapScores[child], heapItems[child])) {
        break;
      }
      heapScores[pos] = heapScores[child];
      heapItems[pos] = heapItems[child];
      pos = child;
    }
    heapScores[pos] = score;
    heapItems[pos] = item;
  }

  private int drainInto(int[] out, int n) {
    // the root is the worst kept item, so popping fills the result from its end
    for (int slot = size - 1; slot >= 0; slot--) {
      out[slot] = heapItems[0];
      size--;
      if (size > 0) {
        siftDownFromRoot(heapScores[size], heapItems[size]);
      }
    }
    return n;
  }
}
