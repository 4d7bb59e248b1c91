package org.vaecf.eval;

import java.util.BitSet;
import java.util.Objects;

/**
 * Catalogue coverage at {@code k} (aggregate diversity; see Adomavicius and Kwon, "Improving Aggregate Recommendation
 * Diversity Using Ranking-Based Techniques", IEEE TKDE 2012): the share of the catalogue that appears in at least one
 * evaluated user's top {@code k},
 *
 * <pre>
 *   Coverage@k = |∪_u top-k(u)| / |items|
 * </pre>
 *
 * <p>It is one number for the whole set of users, not a mean of per-user values, so it has no standard error. It
 * ignores relevance; the {@link Evaluator} still feeds it only the users it evaluates (those with held-out items).
 * With no rankings added, or an empty catalogue, it is 0.
 *
 * @param k the cutoff, {@code > 0}
 */
public record CatalogueCoverage(int k) implements AggregateMetric {
  public CatalogueCoverage {
    MetricChecks.requirePositiveK(k);
  }

  @Override
  public String name() {
    return "coverage@" + k;
  }

  @Override
  public Accumulator newAccumulator(int items) {
    if (items < 0) {
      throw new IllegalArgumentException("items must be >= 0, got " + items);
    }
    return new DistinctItems(k, items);
  }

  /** The set of items seen so far in any top-k list. */
  private static final class DistinctItems implements Accumulator {
    private final int k;
    private final int items;
    private final BitSet seen;

    DistinctItems(int k, int items) {
      this.k = k;
      this.items = items;
      this.seen = new BitSet(items);
    }

    @Override
    public void add(int[] ranking, int from, int length) {
      Objects.checkFromIndexSize(from, length, ranking.length);
      int counted = Math.min(k, length);
      for (int r = from; r < from + counted; r++) {
        seen.set(Objects.checkIndex(ranking[r], items));
      }
    }

    @Override
    public double value() {
      return items == 0 ? 0.0 : (double) seen.cardinality() / items;
    }
  }
}
