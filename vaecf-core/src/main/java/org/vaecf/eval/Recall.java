package org.vaecf.eval;

/**
 * Recall at {@code k} as defined by Liang et al., "Variational Autoencoders for Collaborative Filtering", WWW 2018
 * (Section 4, "Metrics"), and computed by {@code Recall_at_k_batch} of the authors' notebook
 * {@code VAE_ML20M_WWW2018.ipynb}:
 *
 * <pre>
 *   Recall@k = |top-k ∩ relevant| / min(k, |relevant|)
 * </pre>
 *
 * <p>The denominator {@code min(k, |relevant|)} is the largest number of hits a top-k list can hold, so a perfect
 * ranking scores 1 even for a user with more than {@code k} held-out items. <b>Other libraries differ:</b> RankSys
 * and Spark MLlib ({@code RankingMetrics.recallAt}) divide by {@code |relevant|}, which is smaller whenever
 * {@code |relevant| > k}; numbers from them are not comparable with the paper's.
 *
 * <p>A user with no relevant item gets 0; the {@link Evaluator} skips such users.
 *
 * @param k the cutoff, {@code > 0}
 */
public record Recall(int k) implements UserMetric {
  public Recall {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "recall@" + k;
  }

  @Override
  public double value(boolean[] hits, int length, int relevantCount) {
    int counted = MetricChecks.ranksCounted(k, hits, length);
    MetricChecks.requireNonNegativeRelevant(relevantCount);
    if (relevantCount == 0) {
      return 0.0;
    }
    return (double) RankedHits.count(hits, counted) / Math.min(k, relevantCount);
  }
}
