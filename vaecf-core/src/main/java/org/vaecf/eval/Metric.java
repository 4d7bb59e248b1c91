package org.vaecf.eval;

/**
 * A top-k ranking metric with a fixed cutoff {@code k}. Relevance is binary: an item is relevant to a user when it is
 * among the user's held-out items.
 *
 * <p>Two kinds exist: a {@link UserMetric} gives one value per user, averaged over users by the {@link Evaluator};
 * an {@link AggregateMetric} gives one value for a whole set of users (for example catalogue coverage).
 * {@link MetricParser} builds metrics from names such as {@code ndcg@100}.
 */
public interface Metric {
  /** The cutoff: only the first {@code k} ranked items count. */
  int k();

  /** The name used in reports and on the command line, for example {@code ndcg@100}. */
  String name();
}
