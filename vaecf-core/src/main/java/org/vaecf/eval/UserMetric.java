package org.vaecf.eval;

/**
 * A metric computed for one user from the hit pattern of the user's ranking: whether the item at each rank is
 * relevant. With binary relevance, that pattern and the number of relevant items determine every metric here.
 */
public interface UserMetric extends Metric {
  /**
   * The metric's value for one user.
   *
   * @param hits {@code hits[r]} tells whether the item at rank {@code r + 1} is relevant, for {@code r < length};
   *     the ranking may be longer than {@code k} (only its first {@code k} entries count) or shorter (when fewer items
   *     could be ranked)
   * @param length number of ranked items described by {@code hits}
   * @param relevantCount number of the user's relevant (held-out) items, whether ranked or not
   * @return the value, in [0, 1]; {@code 0} when {@code relevantCount} is 0 (the {@link Evaluator} skips such users,
   *     so they never reach a mean)
   */
  double value(boolean[] hits, int length, int relevantCount);
}
