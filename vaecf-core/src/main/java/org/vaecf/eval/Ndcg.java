package org.vaecf.eval;

/**
 * Normalised discounted cumulative gain at {@code k} with binary relevance (Järvelin and Kekäläinen, "Cumulated
 * gain-based evaluation of IR techniques", ACM TOIS 2002), in the form used by Liang et al., "Variational Autoencoders
 * for Collaborative Filtering", WWW 2018 (Section 4, "Metrics"):
 *
 * <pre>
 *   DCG@k  = Σ_{r=1..k} rel_r / log2(r + 1)          rel_r = 1 if the item at rank r is held out, else 0
 *   IDCG@k = Σ_{r=1..min(k, |relevant|)} 1 / log2(r + 1)
 *   NDCG@k = DCG@k / IDCG@k
 * </pre>
 *
 * <p>This is exactly {@code NDCG_binary_at_k_batch} of the authors' notebook {@code VAE_ML20M_WWW2018.ipynb} (the
 * paper's gain {@code 2^rel − 1} equals {@code rel} for binary relevance). A user with no relevant item gets 0 —
 * the notebook would divide by zero; the {@link Evaluator} skips such users.
 *
 * @param k the cutoff, {@code > 0}
 */
public record Ndcg(int k) implements UserMetric {
  private static final double LN_2 = Math.log(2.0);

  public Ndcg {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "ndcg@" + k;
  }

  @Override
  public double value(boolean[] hits, int length, int relevantCount) {
    int counted = MetricChecks.ranksCounted(k, hits, length);
    MetricChecks.requireNonNegativeRelevant(relevantCount);
    if (relevantCount == 0) {
      return 0.0;
    }
    double dcg = 0.0;
    for (int r = 0; r < counted; r++) {
      if (hits[r]) {
        dcg += discount(r + 1);
      }
    }
    double ideal = 0.0;
    int idealHits = Math.min(k, relevantCount);
    for (int r = 1; r <= idealHits; r++) {
      ideal += discount(r);
    }
    return dcg / ideal;
  }

  /** 1 / log2(rank + 1) for a 1-based rank. */
  private static double discount(int rank) {
    return LN_2 / Math.log(rank + 1.0);
  }
}
