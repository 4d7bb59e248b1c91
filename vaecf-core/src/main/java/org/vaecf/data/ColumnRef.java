package org.vaecf.data;

import java.util.Objects;

/**
 * Where a field sits in a delimited line: by 0-based position, or by the name it has in the file's header line.
 */
public sealed interface ColumnRef permits ColumnRef.ByIndex, ColumnRef.ByName {

  /** The column at 0-based {@code index}. */
  static ColumnRef index(int index) {
    return new ByIndex(index);
  }

  /** The column whose header is {@code name} (exact, case-sensitive match). */
  static ColumnRef named(String name) {
    return new ByName(name);
  }

  /**
   * Reads a column given on the command line: all digits means a 0-based index, anything else a header name. (A
   * header that is itself all digits therefore cannot be named; give its index.)
   */
  static ColumnRef parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return index(Integer.parseInt(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("column index " + text + " is too large", e);
      }
    }
    return named(text);
  }

  /** A column by 0-based position. */
  record ByIndex(int index) implements ColumnRef {
    public ByIndex {
      if (index < 0) {
        throw new IllegalArgumentException("column index must be >= 0, got " + index);
      }
    }

    @Override
    public String toString() {
      return "column " + index;
    }
  }

  /** A column by header name. */
  record ByName(String name) implements ColumnRef {
    public ByName {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("column name must not be empty");
      }
    }

    @Override
    public String toString() {
      return "column '" + name + "'";
    }
  }
}
