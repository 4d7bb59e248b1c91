package org.vaecf.nn;

import java.util.Arrays;
import org.vaecf.data.CsrMatrix;

/**
 * A batch of sparse input rows with float values: the users' click vectors after L2 normalisation (and, in training,
 * dropout). The model never builds the dense batch × items input; the first layer reads this directly.
 *
 * <p>Buffers grow when a larger batch arrives and are reused afterwards. Not thread-safe.
 */
public final class SparseBatch {
  private int rows;
  private int[] rowPointers;
  private int[] columns = new int[1024];
  private float[] values = new float[1024];

  /** An empty batch with room for {@code maxRows} rows. */
  public SparseBatch(int maxRows) {
    rowPointers = new int[maxRows + 1];
  }

  /**
   * Loads rows {@code order[from..to)} of {@code data}, each scaled to unit L2 norm as the notebook's
   * {@code tf.nn.l2_normalize} does (binary rows become {@code 1/√n}; an empty row stays empty).
   */
  public SparseBatch loadNormalized(CsrMatrix data, int[] order, int from, int to) {
    startRows(to - from);
    int[] dataColumns = data.colIndexes();
    int nnz = 0;
    for (int b = 0; b < rows; b++) {
      int user = order[from + b];
      int start = data.rowStart(user);
      int length = data.rowEnd(user) - start;
      ensureEntries(nnz + length);
      System.arraycopy(dataColumns, start, columns, nnz, length);
      float value = length == 0 ? 0f : (float) (1.0 / Math.sqrt(length));
      Arrays.fill(values, nnz, nnz + length, value);
      nnz += length;
      rowPointers[b + 1] = nnz;
    }
    return this;
  }

  /** Loads all rows of {@code data} in order, L2-normalised. */
  public SparseBatch loadNormalized(CsrMatrix data) {
    int[] order = new int[data.rows()];
    Arrays.setAll(order, i -> i);
    return loadNormalized(data, order, 0, order.length);
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Offset of row {@code r}'s first entry. */
  public int rowStart(int r) {
    return rowPointers[r];
  }

  /** Offset one past row {@code r}'s last entry. */
  public int rowEnd(int r) {
    return rowPointers[r + 1];
  }

  /** Column (item) of entry {@code k}. */
  public int column(int k) {
    return columns[k];
  }

  /** Value of entry {@code k}. */
  public float value(int k) {
    return values[k];
  }

  /** Total number of entries. */
  public int nnz() {
    return rowPointers[rows];
  }

  /** The column of every entry, row by row (valid up to {@link #nnz()}): for kernels that take arrays. */
  int[] columnArray() {
    return columns;
  }

  /** The value of every entry, in the order of {@link #columnArray()}. */
  float[] valueArray() {
    return values;
  }

  void startRows(int count) {
    if (count + 1 > rowPointers.length) {
      rowPointers = new int[count + 1];
    }
    rows = count;
    rowPointers[0] = 0;
  }

  void ensureEntries(int capacity) {
    if (capacity > columns.length) {
      int grown = Math.max(capacity, columns.length * 2);
      columns = Arrays.copyOf(columns, grown);
      values = Arrays.copyOf(values, grown);
    }
  }

  void setEntry(int k, int column, float value) {
    columns[k] = column;
    values[k] = value;
  }

  void endRow(int r, int end) {
    rowPointers[r + 1] = end;
  }
}
