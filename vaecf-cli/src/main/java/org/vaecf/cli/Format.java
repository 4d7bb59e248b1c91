package org.vaecf.cli;

/** Number formatting shared by the commands' text output. */
final class Format {
  private Format() {}

  /** A metric value with four decimals, or {@code n/a}. */
  static String metric(double value) {
    return Double.isFinite(value) ? String.format("%.4f", value) : "n/a";
  }
}
