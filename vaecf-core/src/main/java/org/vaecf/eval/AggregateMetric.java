package org.vaecf.eval;

/**
 * A metric of a whole set of rankings rather than a mean over users, such as catalogue coverage. Rankings are fed to
 * an {@link Accumulator} one user at a time, in user order.
 */
public interface AggregateMetric extends Metric {
  /** A fresh accumulator for rankings over {@code items} items. */
  Accumulator newAccumulator(int items);

  /** Collects rankings and reports the metric over all of them. Not thread-safe. */
  interface Accumulator {
    /**
     * Adds one user's ranking: item indexes {@code ranking[from .. from + length)}, best first. The ranking may be
     * longer than {@code k}; only its first {@code k} entries count.
     */
    void add(int[] ranking, int from, int length);

    /** The metric over every ranking added so far. */
    double value();
  }
}
