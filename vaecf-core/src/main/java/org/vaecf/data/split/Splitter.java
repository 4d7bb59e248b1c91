package org.vaecf.data.split;

import org.vaecf.data.Interactions;

/** Turns an interaction log into training, validation and test data. */
public interface Splitter {

  /**
   * Splits {@code interactions}.
   *
   * @throws IllegalArgumentException when the data cannot be split with this splitter's settings (too few users,
   *     no timestamps for a time-based split, …), with a message saying why
   */
  PreparedData split(Interactions interactions);
}
