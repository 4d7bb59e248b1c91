package org.vaecf.nn;

/**
 * A parameter whose gradient is non-zero only on some rows: the first layer's weight, of which a batch reads and
 * differentiates only the rows of its items. An optimiser can use this to update only those rows, provided rows it
 * leaves behind are brought up to date before they are read again ({@link #setReadListener}).
 */
public interface SparseRows {
  /**
   * Receives the rows a forward pass is about to read, before it reads them: all at once ({@link #beforeRead}), or one
   * by one from the threads that read them ({@link #beforeReadRow}), which split the rows by {@link #stepsBehind}.
   */
  @FunctionalInterface
  interface ReadListener {
    /** {@code rows[0..count)} are distinct and about to be read. */
    void beforeRead(int[] rows, int count);

    /**
     * {@code row} is about to be read by the calling thread; concurrent calls are for distinct rows. By default the
     * same as {@link #beforeRead} for that one row.
     */
    default void beforeReadRow(int row) {
      beforeRead(new int[] {row}, 1);
    }

    /**
     * How many optimiser steps {@code row} is behind, so a pass can share the rows' catching up fairly between its
     * threads; 0 by default.
     */
    default int stepsBehind(int row) {
      return 0;
    }
  }

  /** Number of rows whose gradient may be non-zero after the last backward pass. */
  int touchedCount();

  /** The rows whose gradient may be non-zero ({@code [0, touchedCount())} are valid; do not modify). */
  int[] touchedRows();

  /** Sets the listener called by every forward pass (replacing any previous one). */
  void setReadListener(ReadListener listener);
}
