package org.vaecf.nn;

/**
 * A parameter whose gradient is non-zero only on some rows: the first layer's weight, of which a batch reads and
 * differentiates only the rows of its items. An optimiser can use this to update only those rows, provided rows it
 * leaves behind are brought up to date before they are read again ({@link #setReadListener}).
 */
public interface SparseRows {
  /** Receives the rows a forward pass is about to read, before it reads them. */
  @FunctionalInterface
  interface ReadListener {
    /** {@code rows[0..count)} are distinct and about to be read. */
    void beforeRead(int[] rows, int count);
  }

  /** Number of rows whose gradient may be non-zero after the last backward pass. */
  int touchedCount();

  /** The rows whose gradient may be non-zero ({@code [0, touchedCount())} are valid; do not modify). */
  int[] touchedRows();

  /** Sets the listener called by every forward pass (replacing any previous one). */
  void setReadListener(ReadListener listener);
}
