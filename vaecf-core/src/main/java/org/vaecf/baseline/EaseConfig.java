package org.vaecf.baseline;

import java.util.List;
import org.vaecf.eval.Metric;
import org.vaecf.eval.Ndcg;

/**
 * How to fit EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019).
 *
 * @param lambdas the L2 weights λ to try; the one with the best validation metric is kept. Default: 50, 100, 200, 500,
 *     1000, 2000 (a grid around the values Steck reports for MovieLens-20M, Netflix and MSD: 500–1000)
 * @param precision width of the item × item solve. Default: {@link Precision#AUTO}
 * @param selectionMetric the validation metric that picks λ. Default: NDCG@100, as for Mult-VAE's epochs
 * @param threads threads for LAPACK and the evaluation of each λ
 */
public record EaseConfig(List<Double> lambdas, Precision precision, Metric selectionMetric, int threads) {
  /** The default grid of λ. */
  public static final List<Double> DEFAULT_LAMBDAS = List.of(50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0);

  public EaseConfig {
    if (lambdas == null || lambdas.isEmpty()) {
      throw new IllegalArgumentException("lambdas must hold at least one value");
    }
    lambdas = List.copyOf(lambdas);
    for (double lambda : lambdas) {
      if (!(lambda > 0) || Double.isInfinite(lambda)) {
        throw new IllegalArgumentException("every EASE lambda must be > 0 and finite, got " + lambda);
      }
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision is required");
    }
    if (selectionMetric == null) {
      throw new IllegalArgumentException("selectionMetric is required");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be > 0, got " + threads);
    }
  }

  /** The defaults: the λ grid above, automatic precision, NDCG@100, one thread per core. */
  public static EaseConfig defaults() {
    return new EaseConfig(
        DEFAULT_LAMBDAS, Precision.AUTO, new Ndcg(100), Runtime.getRuntime().availableProcessors());
  }

  /** A copy with another λ grid. */
  public EaseConfig withLambdas(List<Double> values) {
    return new EaseConfig(values, precision, selectionMetric, threads);
  }

  /** A copy with another precision. */
  public EaseConfig withPrecision(Precision value) {
    return new EaseConfig(lambdas, value, selectionMetric, threads);
  }

  /** A copy with another thread count. */
  public EaseConfig withThreads(int value) {
    return new EaseConfig(lambdas, precision, selectionMetric, value);
  }
}
