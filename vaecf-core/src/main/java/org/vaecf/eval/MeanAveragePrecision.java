package org.vaecf.eval;

/**
 * Average precision at {@code k}, whose mean over users is MAP@k:
 *
 * <pre>
 *   AP@k = ( Σ_{r=1..k, item at r relevant} Precision@r ) / min(k, |relevant|)
 * </pre>
 *
 * <p>Precision@r is the share of relevant items among the first {@code r}. Dividing by {@code min(k, |relevant|)}
 * (rather than {@code |relevant|}) makes a perfect top-k list score 1, in the same spirit as the paper's Recall@k
 * ({@link Recall}); it is the normalisation of the widely used {@code apk} function of the {@code ml_metrics}
 * package. A user with no relevant item gets 0; the {@link Evaluator} skips such users.
 *
 * @param k the cutoff, {@code > 0}
 */
public record MeanAveragePrecision(int k) implements UserMetric {
  public MeanAveragePrecision {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "map@" + k;
  }

  @Override
  public double value(boolean[] hits, int length, int relevantCount) {
    int counted = MetricChecks.ranksCounted(k, hits, length);
    MetricChecks.requireNonNegativeRelevant(relevantCount);
    if (relevantCount == 0) {
      return 0.0;
    }
    double sum = 0.0;
    int hitsSoFar = 0;
    for (int r = 0; r < counted; r++) {
      if (hits[r]) {
        hitsSoFar++;
        sum += (double) hitsSoFar / (r + 1);
      }
    }
    return sum / Math.min(k, relevantCount);
  }
}
