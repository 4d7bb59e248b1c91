package org.vaecf.eval;

/**
 * Precision at {@code k}: the share of the top {@code k} ranks holding a relevant item,
 *
 * <pre>
 *   Precision@k = |top-k ∩ relevant| / k
 * </pre>
 *
 * <p>The denominator is always {@code k}, even when fewer than {@code k} items could be ranked, so that a short list
 * is not rewarded. A user with no relevant item gets 0; the {@link Evaluator} skips such users.
 *
 * @param k the cutoff, {@code > 0}
 */
public record Precision(int k) implements UserMetric {
  public Precision {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "precision@" + k;
  }

  @Override
  public double value(boolean[] hits, int length, int relevantCount) {
    int counted = MetricChecks.ranksCounted(k, hits, length);
    MetricChecks.requireNonNegativeRelevant(relevantCount);
    return (double) RankedHits.count(hits, counted) / k;
  }
}
