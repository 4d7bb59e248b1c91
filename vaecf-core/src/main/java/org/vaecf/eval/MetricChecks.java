package org.vaecf.eval;

/** Argument checks shared by the metric classes. */
final class MetricChecks {
  private MetricChecks() {}

  static void requirePositiveK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
  }

  /** How many ranks count: the cutoff, or fewer when the ranking is shorter. */
  static int ranksCounted(int k, boolean[] hits, int length) {
    if (length < 0 || length > hits.length) {
      throw new IllegalArgumentException("length must be in [0, " + hits.length + "], got " + length);
    }
    return Math.min(k, length);
  }

  static void requireNonNegativeRelevant(int relevantCount) {
    if (relevantCount < 0) {
      throw new IllegalArgumentException("relevantCount must be >= 0, got " + relevantCount);
    }
  }
}
