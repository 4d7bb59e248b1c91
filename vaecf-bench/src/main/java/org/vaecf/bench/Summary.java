package org.vaecf.bench;

import java.util.Arrays;

/**
 * Median and spread of repeated measurements.
 *
 * @param median the middle value
 * @param min the smallest
 * @param max the largest
 */
record Summary(double median, double min, double max) {
  /** Summarises {@code values} (at least one). */
  static Summary of(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Summary(median, sorted[0], sorted[n - 1]);
  }

  @Override
  public String toString() {
    return String.format("%.1f (%.1f–%.1f)", median, min, max);
  }
}
