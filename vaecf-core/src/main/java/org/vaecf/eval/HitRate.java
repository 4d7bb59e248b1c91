package org.vaecf.eval;

/**
 * Hit rate at {@code k}: 1 if at least one relevant item is in the top {@code k}, else 0. Averaged over users it is
 * the share of users with at least one hit. A user with no relevant item gets 0; the {@link Evaluator} skips such
 * users.
 *
 * @param k the cutoff, {@code > 0}
 */
public record HitRate(int k) implements UserMetric {
  public HitRate {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "hitrate@" + k;
  }

  @Override
  public double value(boolean[] hits, int length, int relevantCount) {
    int counted = MetricChecks.ranksCounted(k, hits, length);
    MetricChecks.requireNonNegativeRelevant(relevantCount);
    return RankedHits.firstHitRank(hits, counted) > 0 ? 1.0 : 0.0;
  }
}
