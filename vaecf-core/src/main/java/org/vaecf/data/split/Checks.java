package org.vaecf.data.split;

/** Argument checks shared by the split configurations; messages name the parameter and the value. */
final class Checks {
  private Checks() {}

  static void threshold(double ratingThreshold) {
    if (!Double.isFinite(ratingThreshold)) {
      throw new IllegalArgumentException(
          "ratingThreshold must be finite (use a negative value to keep every rating), got " + ratingThreshold);
    }
  }

  static void atLeast(String name, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
    }
  }

  static void proportion(String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be > 0 and < 1, got " + value);
    }
  }
}
