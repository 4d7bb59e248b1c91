package org.vaecf.data;

import java.util.ArrayList;
import java.util.List;

/** Splitting lines into fields and checking ids, ratings and timestamps, with messages that say what was expected. */
final class Fields {
  private static final int SHOWN_CHARACTERS = 60;

  private Fields() {}

  /** {@code line} cut at every occurrence of {@code separator}; empty fields are kept, like a spreadsheet would. */
  static List<String> split(String line, String separator, List<String> out) {
    out.clear();
    int start = 0;
    int next;
    while ((next = line.indexOf(separator, start)) >= 0) {
      out.add(line.substring(start, next));
      start = next + separator.length();
    }
    out.add(line.substring(start));
    return out;
  }

  /** The runs of non-whitespace characters of {@code line}. */
  static List<String> splitWhitespace(String line, List<String> out) {
    out.clear();
    int n = line.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out;
  }

  /**
   * {@code value} as a raw id. Ids are kept verbatim (no trimming) but must not be blank, and must not contain a tab
   * or a line break, because prepared data and model bundles store ids in tab-separated, line-based files.
   */
  static String id(String kind, String value) throws BadLineException {
    if (value.isBlank()) {
      throw new BadLineException(kind + " id is empty (expected a non-empty id)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\t' || c == '\n' || c == '\r') {
        throw new BadLineException(
            kind + " id '" + shown(value) + "' contains a tab or line break (expected an id without them)");
      }
    }
    return value;
  }

  /** {@code value} as a finite, non-negative rating. */
  static float rating(String value) throws BadLineException {
    String text = value.strip();
    // Only digits, sign, point and exponent: Double.parseDouble alone would also take "NaN", "Infinity", hex floats
    // and a trailing 'd' or 'f', none of which is a rating.
    boolean plausible = !text.isEmpty();
    for (int i = 0; i < text.length() && plausible; i++) {
      char c = text.charAt(i);
      plausible = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }
    double parsed = Double.NaN;
    if (plausible) {
      try {
        parsed = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        parsed = Double.NaN;
      }
    }
    if (Double.isNaN(parsed)) {
      throw new BadLineException("rating '" + shown(value) + "' is not a number (expected a non-negative decimal)");
    }
    if (parsed < 0) {
      throw new BadLineException("rating '" + shown(value) + "' is negative (expected a non-negative decimal)");
    }
    if (parsed > Float.MAX_VALUE) {
      throw new BadLineException(
          "rating '" + shown(value) + "' is too large (expected a non-negative decimal below 3.4e38)");
    }
    return (float) parsed;
  }

  /** {@code value} as an integer timestamp. */
  static long timestamp(String value) throws BadLineException {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new BadLineException(
          "timestamp '" + shown(value) + "' is not an integer (expected a whole number such as seconds since 1970)");
    }
  }

  /** {@code value} made printable in a message: control characters escaped, long values cut. */
  static String shown(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && i < SHOWN_CHARACTERS; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    if (value.length() > SHOWN_CHARACTERS) {
      out.append("…");
    }
    return out.toString();
  }

  /** A fresh list for {@link #split}. */
  static List<String> buffer() {
    return new ArrayList<>(8);
  }
}
