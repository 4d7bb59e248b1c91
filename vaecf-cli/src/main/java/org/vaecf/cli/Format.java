package org.vaecf.cli;

import java.util.Locale;

/** Number formatting shared by the commands' text output. */
final class Format {
  private Format() {}

  /** A metric value with four decimals, or {@code n/a}. */
  static String metric(double value) {
    return Double.isFinite(value) ? String.format("%.4f", value) : "n/a";
  }

  /** A number without a trailing {@code .0} when it is whole ({@code 200}, {@code 0.25}). */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
