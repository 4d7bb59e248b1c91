package org.vaecf.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable binary sparse matrix in compressed sparse row form: row {@code r} holds the column indexes
 * {@code colIndexes[rowPointers[r] .. rowPointers[r+1])}, strictly increasing. Rows are users, columns items.
 *
 * <p>Implicit feedback is binary, so no values are stored: every stored entry is a 1.
 * {@link #rowPointers()} and {@link #colIndexes()} expose the internal arrays for hot loops without copying;
 * callers must not modify them.
 */
public final class CsrMatrix {
  private final int rows;
  private final int cols;
  private final int[] rowPointers;
  private final int[] colIndexes;

  /**
   * Wraps CSR arrays after checking them.
   *
   * @throws IllegalArgumentException if the arrays are inconsistent, a column is out of range, or a row's columns
   *     are not strictly increasing
   */
  public CsrMatrix(int rows, int cols, int[] rowPointers, int[] colIndexes) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("shape must be non-negative, got " + rows + "x" + cols);
    }
    Objects.requireNonNull(rowPointers, "rowPointers");
    Objects.requireNonNull(colIndexes, "colIndexes");
    if (rowPointers.length != rows + 1 || rowPointers[0] != 0 || rowPointers[rows] != colIndexes.length) {
      throw new IllegalArgumentException("rowPointers must have rows+1 entries from 0 to nnz");
    }
    for (int r = 0; r < rows; r++) {
      int start = rowPointers[r];
      int end = rowPointers[r + 1];
      if (end < start) {
        throw new IllegalArgumentException("rowPointers decrease at row " + r);
      }
      int previous = -1;
      for (int k = start; k < end; k++) {
        int c = colIndexes[k];
        if (c <= previous || c >= cols) {
          throw new IllegalArgumentException(
              "row " + r + ": column " + c + " out of range or not strictly increasing (cols=" + cols + ")");
        }
        previous = c;
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.rowPointers = rowPointers;
    this.colIndexes = colIndexes;
  }

  /** An empty matrix with the given shape. */
  public static CsrMatrix empty(int rows, int cols) {
    return new CsrMatrix(rows, cols, new int[rows + 1], new int[0]);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of stored entries (ones). */
  public int nnz() {
    return colIndexes.length;
  }

  /** Offset of row {@code r}'s first entry in {@link #colIndexes()}. */
  public int rowStart(int r) {
    return rowPointers[r];
  }

  /** Offset one past row {@code r}'s last entry in {@link #colIndexes()}. */
  public int rowEnd(int r) {
    return rowPointers[r + 1];
  }

  /** Number of entries in row {@code r}. */
  public int rowLength(int r) {
    return rowPointers[r + 1] - rowPointers[r];
  }

  /** A copy of row {@code r}'s column indexes, increasing. */
  public int[] row(int r) {
    Objects.checkIndex(r, rows);
    return Arrays.copyOfRange(colIndexes, rowStart(r), rowEnd(r));
  }

  /** Whether entry ({@code r}, {@code c}) is stored. */
  public boolean contains(int r, int c) {
    return Arrays.binarySearch(colIndexes, rowStart(r), rowEnd(r), c) >= 0;
  }

  /** The internal row pointer array ({@code rows + 1} entries). Do not modify. */
  public int[] rowPointers() {
    return rowPointers;
  }

  /** The internal column index array ({@code nnz} entries). Do not modify. */
  public int[] colIndexes() {
    return colIndexes;
  }

  /** A new matrix made of the given rows, in the given order. */
  public CsrMatrix selectRows(int[] selected) {
    int[] pointers = new int[selected.length + 1];
    for (int i = 0; i < selected.length; i++) {
      pointers[i + 1] = pointers[i] + rowLength(selected[i]);
    }
    int[] columns = new int[pointers[selected.length]];
    for (int i = 0; i < selected.length; i++) {
      int r = selected[i];
      System.arraycopy(colIndexes, rowStart(r), columns, pointers[i], rowLength(r));
    }
    return new CsrMatrix(selected.length, cols, pointers, columns);
  }

  /** The number of entries in each column. */
  public int[] columnCounts() {
    int[] counts = new int[cols];
    for (int c : colIndexes) {
      counts[c]++;
    }
    return counts;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CsrMatrix that
        && rows == that.rows
        && cols == that.cols
        && Arrays.equals(rowPointers, that.rowPointers)
        && Arrays.equals(colIndexes, that.colIndexes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(colIndexes);
  }

  @Override
  public String toString() {
    return "CsrMatrix[" + rows + "x" + cols + ", nnz=" + nnz() + "]";
  }

  /** Builds a matrix row by row; each row's columns may come in any order but must not repeat. */
  public static final class Builder {
    private final int cols;
    private int[] pointers = new int[16];
    private int[] columns = new int[64];
    private int rows;

    public Builder(int cols) {
      if (cols < 0) {
        throw new IllegalArgumentException("cols must be >= 0, got " + cols);
      }
      this.cols = cols;
    }

    /** Appends a row holding the given columns (copied, then sorted). */
    public Builder addRow(int[] rowColumns) {
      return addRow(rowColumns, 0, rowColumns.length);
    }

    /** Appends a row holding {@code rowColumns[from..to)} (copied, then sorted). */
    public Builder addRow(int[] rowColumns, int from, int to) {
      int length = to - from;
      int start = pointers[rows];
      int end = Math.addExact(start, length);
      if (end > columns.length) {
        columns = Arrays.copyOf(columns, Math.max(end, columns.length * 2));
      }
      System.arraycopy(rowColumns, from, columns, start, length);
      Arrays.sort(columns, start, end);
      if (rows + 2 > pointers.length) {
        pointers = Arrays.copyOf(pointers, pointers.length * 2);
      }
      rows++;
      pointers[rows] = end;
      return this;
    }

    /** Number of rows added so far. */
    public int rows() {
      return rows;
    }

    /** The finished matrix (validated). */
    public CsrMatrix build() {
      return new CsrMatrix(
          rows, cols, Arrays.copyOf(pointers, rows + 1), Arrays.copyOf(columns, pointers[rows]));
    }
  }
}
