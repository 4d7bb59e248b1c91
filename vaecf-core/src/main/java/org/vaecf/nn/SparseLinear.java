package org.vaecf.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.Scratch;

/**
 * The first layer, reading the sparse input directly: {@code y_u = b + Σ_{i ∈ items(u)} x_ui · W_i}, a sum of the
 * rows of {@code W} (items × out) for the user's items. Its cost is proportional to the non-zeros, not to the item
 * count, and its weight gradient touches only the rows of the batch's items: {@code ∂W_i = Σ_u x_ui · ∂y_u}, computed
 * per item (the batch's entries grouped by item), so threads write disjoint rows and the summation order is fixed.
 * Rows of {@code ∂W} outside the batch are zero. The weight is declared {@link SparseRows} so that an optimiser may
 * update only the touched rows; it brings a row up to date when the forward pass is about to read it (all at once, or
 * in training row by row on the thread that adds the row, {@link #forward(SparseBatch, boolean)}).
 */
public final class SparseLinear implements SparseRows {
  /** Batches of at least this many rows are summed item by item ({@link #forwardByItem}), smaller ones user by user. */
  static final int BY_ITEM_MIN_ROWS = 64;

  /**
   * Rough cost of one optimiser step of catching up a row, in entries' additions: a step is a √ and a ÷ per weight,
   * an addition one multiply-add per weight. Only the balance between the threads depends on it, and on
   * {@link #ROW_WEIGHT}: both were fitted by timing each thread's share at ML-20M's shape (2026-12-01, 30 steps each,
   * the two threads' milliseconds per step): 8 and 0 gave 4.15 and 3.57, 4 and 0 gave 4.04 and 3.74, 2 and 0 3.73
   * and 4.09, 4 and 4 3.91 and 3.92.
   */
  private static final int CATCH_UP_STEP_WEIGHT = 4;

  /** Rough cost of fetching a row of the weight from memory, in entries' additions (see above). */
  private static final int ROW_WEIGHT = 4;

  private final Parameter weight;
  private final Parameter bias;
  private final Matrix output;
  private final Matrix ones;
  private final Parallel parallel;
  private final Kernels kernels = Kernels.best();
  private final Scratch accumulators;
  /** Per thread, the rows of {@code y} of its users during {@link #forwardByItem}. */
  private final Scratch userBlocks;
  /** Per thread, its share of every row of {@code y} during {@link #forwardSplitByItems}. */
  private final Scratch itemShareBlocks;
  private final int width;
  /** stamp[item] == currentStamp when the item is in the current batch; avoids clearing per batch. */
  private final int[] stamp;
  /** slot[item]: the item's position in {@link #touched} for the current batch. */
  private final int[] slot;
  private int currentStamp;
  private int[] touched = new int[1024];
  private int touchedCount;
  /** Rows written by the last backward pass: the only non-zero rows of ∂W. */
  private int[] dirty = new int[1024];
  private int dirtyCount;
  private int[] slotStart = new int[1025];
  /** During {@link #groupEntriesByItem}: the next free entry position of each slot (kept to spare an array per step). */
  private int[] nextEntry = new int[0];
  private int[] entryRow = new int[1024];
  private float[] entryValue = new float[1024];
  private float[] gradRows = new float[0];
  private SparseBatch lastInput;
  /** Whether the entries of {@link #lastInput} are grouped by item already (by the forward pass). */
  private boolean grouped;
  private ReadListener readListener = (rows, count) -> {};

  /**
   * @param name prefix of the parameter names
   * @param items input width (number of items)
   * @param out output width
   * @param maxBatch most rows a batch may have
   * @param parallel threads for the row and item loops
   */
  public SparseLinear(String name, int items, int out, int maxBatch, Parallel parallel) {
    // W and ∂W never go to BLAS: on the heap, the kernels read and write their rows without copies.
    Parameter dense = Parameter.heapZeros(name + ".weight", items, out, true);
    this.weight = dense.withSparseRows(this);
    this.bias = Parameter.zeros(name + ".bias", 1, out, false);
    this.output = Matrix.zeros(maxBatch, out);
    this.ones = Layers.ones(maxBatch);
    this.parallel = parallel;
    this.width = out;
    this.stamp = new int[items];
    this.slot = new int[items];
    this.accumulators = new Scratch(parallel.threads());
    this.userBlocks = new Scratch(parallel.threads());
    this.itemShareBlocks = new Scratch(parallel.threads());
  }

  /**
   * {@code y = x · W + b} for the sparse batch {@code x}. Every output row is the bias plus its items' rows of
   * {@code W} times their values, added in increasing item order — whether the batch is summed user by user (small
   * batches) or item by item (from {@link #BY_ITEM_MIN_ROWS} rows): the two give the same bits.
   */
  public Matrix forward(SparseBatch input) {
    return forward(input, false);
  }

  /**
   * {@link #forward(SparseBatch)}, but with {@code training} a batch of {@link #BY_ITEM_MIN_ROWS} rows or more on
   * several threads is summed by {@link #forwardSplitByItems}: each thread brings the rows of its share of the items
   * up to date and adds them at once, while they are in cache. Its sums are then added in another order than user by
   * user (to float rounding), so predictions, which must not depend on the rest of their batch, never take it.
   */
  public Matrix forward(SparseBatch input, boolean training) {
    collectTouchedRows(input);
    int rows = input.rows();
    output.setRows(rows);
    lastInput = input;
    grouped = false;
    if (training && rows >= BY_ITEM_MIN_ROWS && parallel.threads() > 1) {
      forwardSplitByItems(input);
      return output;
    }
    readListener.beforeRead(touched, touchedCount);
    if (rows >= BY_ITEM_MIN_ROWS) {
      forwardByItem(input);
      return output;
    }
    float[] w = weight.value().array();
    FloatBuffer y = output.buffer();
    FloatBuffer b = bias.value().buffer();
    parallel.forChunks(
        rows,
        8,
        (chunk, from, to) -> {
          float[] sum = accumulators.get(chunk, width);
          for (int r = from; r < to; r++) {
            b.get(0, sum, 0, width);
            kernels.gatherSum(
                w, width, input.columnArray(), input.valueArray(), input.rowStart(r), input.rowEnd(r), sum, 0);
            y.put(r * width, sum, 0, width);
          }
        });
    return output;
  }

  /**
   * The forward pass item by item: the batch's entries grouped by item (which the backward pass needs too), each
   * thread owns a range of users, keeps their rows of {@code y} in a cache-resident block, and walks the items in
   * increasing order adding each item's row of {@code W} to its users that have it. A row of {@code W} is then fetched
   * once per thread instead of once per user that has the item (a training batch at ML-20M's shape: 36,000 entries on
   * 10,000 items), and each user's sum still runs over its items in increasing order, as the user-by-user sum does.
   */
  private void forwardByItem(SparseBatch input) {
    groupEntriesByItem(input);
    int rows = input.rows();
    float[] w = weight.value().array();
    FloatBuffer y = output.buffer();
    FloatBuffer b = bias.value().buffer();
    parallel.forChunks(
        rows,
        8,
        (chunk, from, to) -> {
          float[] block = userBlocks.get(chunk, (to - from) * width);
          for (int r = from; r < to; r++) {
            b.get(0, block, (r - from) * width, width);
          }
          for (int s = 0; s < touchedCount; s++) {
            int end = slotStart[s + 1];
            int k = firstEntryFrom(slotStart[s], end, from);
            if (k == end || entryRow[k] >= to) {
              continue;
            }
            int base = touched[s] * width;
            for (; k < end && entryRow[k] < to; k++) {
              kernels.axpy(entryValue[k], w, base, block, (entryRow[k] - from) * width, width);
            }
          }
          y.put(from * width, block, 0, (to - from) * width);
        });
  }

  /**
   * The training forward pass split by items: the batch's items (in increasing order) are cut into one contiguous share
   * per thread, of about equal work — per item, fetching its row (weighted {@link #ROW_WEIGHT}), its entries, and the
   * optimiser steps its row is behind (weighted {@link #CATCH_UP_STEP_WEIGHT} each). Each thread hands every row of its
   * share to the read listener (which brings it up to date) and adds it at once to the batch's users that have the
   * item, in a block of its own holding a share of every row of {@code y}; the blocks are then added in thread order,
   * the bias in the first. A row of {@code W} is fetched once per step instead of once for its update and once per
   * thread for the sum (measured at ML-20M's shape, in one process, alternating with the user-split pass: forward
   * 0.7–1.9 ms shorter per step). The result depends only on the batch, the rows' steps behind and the thread count.
   */
  private void forwardSplitByItems(SparseBatch input) {
    groupEntriesByItem(input);
    int rows = input.rows();
    int threads = parallel.threads();
    int[] shareStart = shareItems(threads);
    float[] w = weight.value().array();
    FloatBuffer b = bias.value().buffer();
    ReadListener listener = readListener;
    parallel.forChunks(
        threads,
        1,
        (chunk, first, last) -> {
          float[] block = itemShareBlocks.get(chunk, rows * width);
          if (chunk == 0) {
            for (int r = 0; r < rows; r++) {
              b.get(0, block, r * width, width);
            }
          } else {
            Arrays.fill(block, 0, rows * width, 0f);
          }
          for (int s = shareStart[chunk]; s < shareStart[chunk + 1]; s++) {
            int item = touched[s];
            listener.beforeReadRow(item);
            int base = item * width;
            for (int k = slotStart[s]; k < slotStart[s + 1]; k++) {
              kernels.axpy(entryValue[k], w, base, block, entryRow[k] * width, width);
            }
          }
        });
    float[][] blocks = new float[threads][];
    for (int c = 0; c < threads; c++) {
      blocks[c] = itemShareBlocks.get(c, rows * width);
    }
    FloatBuffer y = output.buffer();
    parallel.forChunks(
        rows,
        8,
        (chunk, from, to) -> {
          float[] sum = accumulators.get(chunk, width);
          for (int r = from; r < to; r++) {
            System.arraycopy(blocks[0], r * width, sum, 0, width);
            for (int c = 1; c < threads; c++) {
              kernels.axpy(1f, blocks[c], r * width, sum, 0, width);
            }
            y.put(r * width, sum, 0, width);
          }
        });
  }

  /** The first slot of each thread's share of the touched items, and {@code touchedCount} last. */
  private int[] shareItems(int threads) {
    long total = 0;
    for (int s = 0; s < touchedCount; s++) {
      total += itemWork(s);
    }
    int[] start = new int[threads + 1];
    long done = 0;
    int next = 1;
    for (int s = 0; s < touchedCount && next < threads; s++) {
      done += itemWork(s);
      while (next < threads && done * threads >= total * next) {
        start[next++] = s + 1;
      }
    }
    while (next <= threads) {
      start[next++] = touchedCount;
    }
    return start;
  }

  private long itemWork(int s) {
    return ROW_WEIGHT + (slotStart[s + 1] - slotStart[s])
        + (long) CATCH_UP_STEP_WEIGHT * readListener.stepsBehind(touched[s]);
  }

  /** The first entry in {@code [start, end)} (an item's entries, rows increasing) whose row is at least {@code row}. */
  private int firstEntryFrom(int start, int end, int row) {
    int low = start;
    int high = end;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (entryRow[mid] < row) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * Stores {@code ∂W} (non-zero only on the batch's rows) and {@code ∂b = Σ_u ∂y_u}. There is no gradient with
   * respect to the input.
   */
  public void backward(Matrix gradOutput) {
    backward(gradOutput, null);
  }

  /**
   * Like {@link #backward(Matrix)}, but when {@code update} is given each non-zero row of {@code ∂W} is handed to it
   * as soon as it is computed, and {@code ∂W} is neither stored nor cleared (the weight's stored gradient is left
   * alone). {@code ∂b} is stored either way.
   */
  public void backward(Matrix gradOutput, RowUpdate update) {
    if (lastInput == null) {
      throw new IllegalStateException("backward called before forward");
    }
    SparseBatch input = lastInput;
    int rows = input.rows();
    if (gradRows.length < rows * width) {
      gradRows = new float[rows * width];
    }
    float[] dy = gradRows;
    gradOutput.buffer().get(0, dy, 0, rows * width);
    if (!grouped) {
      groupEntriesByItem(input);
    }
    if (update == null) {
      float[] dw = weight.gradient().array();
      parallel.forChunks(
          touchedCount,
          16,
          (chunk, from, to) -> {
            for (int s = from; s < to; s++) {
              rowGradient(s, dy, dw, touched[s] * width);
            }
          });
      clearRowsNoLongerTouched(dw);
    } else {
      parallel.forChunks(
          touchedCount,
          16,
          (chunk, from, to) -> {
            float[] gradient = accumulators.get(chunk, width);
            for (int s = from; s < to; s++) {
              rowGradient(s, dy, gradient, 0);
              update.apply(chunk, touched[s], gradient, 0, s + 1 < to ? touched[s + 1] : -1);
            }
          });
    }
    Layers.columnSums(gradOutput, ones, bias.gradient());
  }

  /** ∂W's row for touched slot {@code s}, {@code Σ_u x_ui · ∂y_u}, into {@code out[offset .. offset + width)}. */
  private void rowGradient(int s, float[] dy, float[] out, int offset) {
    Arrays.fill(out, offset, offset + width, 0f);
    kernels.gatherSum(dy, width, entryRow, entryValue, slotStart[s], slotStart[s + 1], out, offset);
  }

  private void collectTouchedRows(SparseBatch input) {
    touchedCount = 0;
    currentStamp++;
    if (currentStamp == Integer.MAX_VALUE) { // wrapped: forget every stamp
      Arrays.fill(stamp, 0);
      currentStamp = 1;
    }
    for (int k = 0; k < input.nnz(); k++) {
      int item = input.column(k);
      if (stamp[item] != currentStamp) {
        stamp[item] = currentStamp;
        if (touchedCount == touched.length) {
          touched = Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = item;
      }
    }
    // In increasing item order, so that the optimiser's passes over these rows of W, m and v (the catch-up before the
    // forward pass, the update after the backward pass) sweep memory in one direction, which the prefetchers follow;
    // in order of first appearance they jumped about (training: 7.4 → 5.7 ms per ML-20M-shaped step). A training
    // batch touches half the items, and one scan of the stamps costs less than a sort; smaller batches are sorted
    // (the item-by-item forward pass adds in this order, which must be each user's increasing item order).
    if (touchedCount * 8L >= stamp.length) {
      touchedCount = 0;
      for (int item = 0; item < stamp.length; item++) {
        if (stamp[item] == currentStamp) {
          touched[touchedCount++] = item;
        }
      }
    } else {
      Arrays.sort(touched, 0, touchedCount);
    }
    for (int s = 0; s < touchedCount; s++) {
      slot[touched[s]] = s;
    }
  }

  /** A counting sort of the batch's entries by item slot, keeping row order within an item. */
  private void groupEntriesByItem(SparseBatch input) {
    int nnz = input.nnz();
    if (slotStart.length < touchedCount + 1) {
      slotStart = new int[touchedCount + 1];
    }
    if (entryRow.length < nnz) {
      entryRow = new int[nnz];
      entryValue = new float[nnz];
    }
    Arrays.fill(slotStart, 0, touchedCount + 1, 0);
    for (int k = 0; k < nnz; k++) {
      slotStart[slot[input.column(k)] + 1]++;
    }
    for (int s = 0; s < touchedCount; s++) {
      slotStart[s + 1] += slotStart[s];
    }
    if (nextEntry.length < touchedCount) {
      nextEntry = new int[slotStart.length];
    }
    int[] next = nextEntry;
    System.arraycopy(slotStart, 0, next, 0, touchedCount);
    for (int r = 0; r < input.rows(); r++) {
      for (int k = input.rowStart(r); k < input.rowEnd(r); k++) {
        int position = next[slot[input.column(k)]]++;
        entryRow[position] = r;
        entryValue[position] = input.value(k);
      }
    }
    grouped = true;
  }

  /** Zeroes the rows written by the previous backward pass that this batch did not write, then records this one's. */
  private void clearRowsNoLongerTouched(float[] dw) {
    for (int t = 0; t < dirtyCount; t++) {
      int item = dirty[t];
      if (stamp[item] != currentStamp) {
        Arrays.fill(dw, item * width, (item + 1) * width, 0f);
      }
    }
    if (dirty.length < touchedCount) {
      dirty = new int[touched.length];
    }
    System.arraycopy(touched, 0, dirty, 0, touchedCount);
    dirtyCount = touchedCount;
  }

  @Override
  public int touchedCount() {
    return touchedCount;
  }

  @Override
  public int[] touchedRows() {
    return touched;
  }

  @Override
  public void setReadListener(ReadListener listener) {
    this.readListener = listener == null ? (rows, count) -> {} : listener;
  }

  /** The weight parameter (items × out), row-sparse. */
  public Parameter weight() {
    return weight;
  }

  /** The bias parameter (1 × out). */
  public Parameter bias() {
    return bias;
  }

  /** Both parameters, weight first. */
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }

  /** Gives back the layer's direct memory at once; see {@link org.vaecf.nn.Layer#close()}. */
  public void close() {
    weight.close();
    bias.close();
    output.close();
    ones.close();
  }
}
