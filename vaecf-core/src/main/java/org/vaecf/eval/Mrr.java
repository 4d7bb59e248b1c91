package org.vaecf.eval;

/**
 * Reciprocal rank at {@code k} (Voorhees, "The TREC-8 Question Answering Track Report", TREC 1999): {@code 1 / r}
 * for the rank {@code r} of the first relevant item if it is within the top {@code k}, else 0. Its mean over users is
 * the mean reciprocal rank, MRR@k. A user with no relevant item gets 0; the {@link Evaluator} skips such users.
 *
 * @param k the cutoff, {@code > 0}
 */
public record Mrr(int k) implements UserMetric {
  public Mrr {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "mrr@" + k;
  }

  @Override
  public double value(boolean[] hits, int length, int relevantCount) {
    int counted = MetricChecks.ranksCounted(k, hits, length);
    MetricChecks.requireNonNegativeRelevant(relevantCount);
    int rank = RankedHits.firstHitRank(hits, counted);
    return rank > 0 ? 1.0 / rank : 0.0;
  }
}
