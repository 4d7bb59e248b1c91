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
  /** Rows at least this long, and this many times k, go through the threshold filter first. */
  private static final int FILTER_MIN_ITEMS = 2048;
  private static final int FILTER_MIN_ITEMS_PER_K = 16;
  /** About 16·k items, and at least 1,024, are sampled (every stride-th) to choose the filter's threshold. */
  private static final int SAMPLE_PER_K = 16;
  private static final int MIN_SAMPLE = 1024;
  /** The threshold is at least the 8th best sampled score, so that the candidates it lets through vary little. */
  private static final int MIN_RANK = 8;

  private final int k;
  private final float[] heapScores;
  private final int[] heapItems;
  private final Kernels kernels = Kernels.best();
  private int size;
  /** Scratch of the filter: the sample's best values (a min-heap) and the indexes above the threshold. */
  private float[] sampleBest;
  private int[] candidates;
  /** Whether the last selection from an array went through the filter (for tests of the fast path). */
  private boolean lastFiltered;

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
    lastFiltered =
        items >= FILTER_MIN_ITEMS
            && items >= (long) FILTER_MIN_ITEMS_PER_K * k
            && selectAboveSampledThreshold(scores, offset, items, excluded, excludedFrom, excludedTo);
    if (lastFiltered) {
      return drainInto(out, n);
    }
    size = 0;
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

  /** Whether the last {@code select} from an array took the threshold filter rather than the plain pass. */
  boolean lastSelectionFiltered() {
    return lastFiltered;
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

  /**
   * The fast path of {@link #select(float[], int, int, int[], int, int, int[])}, with the same result: a threshold is
   * taken from a sample of the row (every stride-th item not excluded), chosen so that about 3k items (at least 8
   * strides' worth) lie above it;
   * the SIMD filter {@link Kernels#indexesAbove} finds those, and only they go through the heap. If fewer than k
   * selectable items lie above the threshold (an unlucky sample, ties, NaNs) or too many to hold, it returns false and
   * the caller runs the plain pass. Exact because every one of the k best then scores above the threshold, and the
   * candidates enter the heap in item order, as in the plain pass.
   */
  private boolean selectAboveSampledThreshold(
      float[] scores, int offset, int items, int[] excluded, int excludedFrom, int excludedTo) {
    int stride = Math.max(1, items / Math.max(MIN_SAMPLE, SAMPLE_PER_K * k));
    int rank = Math.max(MIN_RANK, 3 * k / stride);
    if (sampleBest == null || sampleBest.length < rank) {
      sampleBest = new float[rank];
    }
    // about rank × stride items score above the threshold, plus any excluded items (a history scores high)
    int room = 4 * rank * stride + (excludedTo - excludedFrom);
    if (candidates == null || candidates.length < room) {
      candidates = new int[room];
    }
    int kept = 0;
    int e = excludedFrom;
    for (int item = 0; item < items; item += stride) {
      while (e < excludedTo && excluded[e] < item) {
        e++;
      }
      float score = scores[offset + item];
      if ((e < excludedTo && excluded[e] == item) || score != score) {
        continue;
      }
      kept = offerSample(score, kept, rank);
    }
    if (kept < rank) {
      return false;
    }
    float threshold = sampleBest[0]; // the rank-th best sampled score
    int found = kernels.indexesAbove(scores, offset, offset + items, threshold, candidates);
    if (found > candidates.length) {
      return false;
    }
    size = 0;
    int selectable = 0;
    e = excludedFrom;
    for (int c = 0; c < found; c++) {
      int item = candidates[c] - offset;
      while (e < excludedTo && excluded[e] < item) {
        e++;
      }
      if (e < excludedTo && excluded[e] == item) {
        continue;
      }
      selectable++;
      offer(scores[candidates[c]], item);
    }
    return selectable >= k;
  }

  /** Keeps the {@code rank} largest sampled scores in a min-heap {@code sampleBest[0 .. kept)}; returns the new size. */
  private int offerSample(float score, int kept, int rank) {
    float[] heap = sampleBest;
    if (kept < rank) {
      int pos = kept;
      while (pos > 0 && heap[(pos - 1) >>> 1] > score) {
        heap[pos] = heap[(pos - 1) >>> 1];
        pos = (pos - 1) >>> 1;
      }
      heap[pos] = score;
      return kept + 1;
    }
    if (score <= heap[0]) {
      return kept;
    }
    int pos = 0;
    while (true) {
      int child = 2 * pos + 1;
      if (child >= rank) {
        break;
      }
      if (child + 1 < rank && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= score) {
        break;
      }
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = score;
    return kept;
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
