package org.vaecf.server;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus-style histogram: counts of observations at or below each upper bound, their sum and count. Lock-free
 * for writers; a scrape reads a slightly moving but never negative picture.
 */
final class Histogram {
  private final double[] bounds;
  private final LongAdder[] counts;
  private final DoubleAdder sum = new DoubleAdder();
  private final LongAdder count = new LongAdder();

  /** @param bounds increasing upper bounds; {@code +Inf} is implied */
  Histogram(double... bounds) {
    for (int b = 1; b < bounds.length; b++) {
      if (!(bounds[b] > bounds[b - 1])) {
        throw new IllegalArgumentException("bounds must increase, got " + bounds[b - 1] + " then " + bounds[b]);
      }
    }
    this.bounds = bounds.clone();
    this.counts = new LongAdder[bounds.length];
    for (int b = 0; b < bounds.length; b++) {
      counts[b] = new LongAdder();
    }
  }

  void observe(double value) {
    for (int b = 0; b < bounds.length; b++) {
      if (value <= bounds[b]) {
        counts[b].increment(); // only the first matching bucket: the cumulative counts are summed on scrape
        break;
      }
    }
    sum.add(value);
    count.increment();
  }

  /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines; {@code labels} is empty or ends with ','. */
  void render(StringBuilder out, String name, String labels) {
    long cumulative = 0;
    for (int b = 0; b < bounds.length; b++) {
      cumulative += counts[b].sum();
      out.append(name).append("_bucket{").append(labels).append("le=\"").append(format(bounds[b])).append("\"} ")
          .append(cumulative).append('\n');
    }
    long total = count.sum();
    out.append(name).append("_bucket{").append(labels).append("le=\"+Inf\"} ").append(total).append('\n');
    String bare = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
    out.append(name).append("_sum").append(bare).append(' ').append(sum.sum()).append('\n');
    out.append(name).append("_count").append(bare).append(' ').append(total).append('\n');
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
  }
}
