package org.vaecf.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparedData;
import org.vaecf.eval.Evaluator;
import org.vaecf.linalg.Blas;

/**
 * Fits EASE, the linear item-item autoencoder of Steck, "Embarrassingly Shallow Autoencoders for Sparse Data" (WWW
 * 2019): {@code min ‖X − XB‖² + λ‖B‖²} subject to {@code diag B = 0}, whose closed form is {@code B = I − P·diag(1/diag
 * P)} with {@code P = (XᵀX + λI)⁻¹}. λ is chosen on the validation users from {@link EaseConfig#lambdas()}, with the
 * same fold-in protocol as Mult-VAE's epochs.
 */
public final class Ease {
  private static final Logger LOG = LoggerFactory.getLogger(Ease.class);

  private final EaseConfig config;

  /** A fitter with the given settings. */
  public Ease(EaseConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Fits on {@code data.train()} for every λ of the grid, keeps the one with the best validation metric (the first
   * of the grid when there are no validation users with held-out items).
   */
  public EaseModel fit(PreparedData data) {
    CsrMatrix train = data.train();
    Blas.setThreads(config.threads());
    GramMatrix gram = GramMatrix.of(train);
    Precision precision = config.precision().resolve(train.cols(), Runtime.getRuntime().maxMemory());
    HeldOutSet validation = data.validation();
    boolean validate = hasHeldOutItems(validation);
    Evaluator evaluator =
        Evaluator.builder(List.of(config.selectionMetric())).batchSize(1000).threads(config.threads()).build();
    List<EaseModel.Trial> trials = new ArrayList<>();
    float[] bestWeights = null;
    double bestLambda = Double.NaN;
    double bestValue = Double.NEGATIVE_INFINITY;
    String metric = config.selectionMetric().name();
    for (double lambda : config.lambdas()) {
      float[] weights = EaseSolver.weights(gram, lambda, precision);
      double value = Double.NaN;
      if (validate) {
        value =
            evaluator
                .evaluate(new EaseScorer(train.cols(), weights), validation.foldIn(), validation.heldOut())
                .value(metric);
      }
      trials.add(new EaseModel.Trial(lambda, value));
      LOG.info("EASE λ = {}: validation {} = {}", lambda, metric, validate ? String.format("%.4f", value) : "n/a");
      if (bestWeights == null || (validate && value > bestValue)) {
        bestWeights = weights;
        bestLambda = lambda;
        bestValue = value;
      }
      if (!validate) {
        break; // without validation users the first λ is kept; fitting the others would be wasted
      }
    }
    return new EaseModel(train.cols(), bestLambda, bestWeights, trials);
  }

  /** Fits for one λ on a users × items matrix, without validation. */
  public EaseModel fit(CsrMatrix train, double lambda) {
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("lambda must be > 0 and finite, got " + lambda);
    }
    Blas.setThreads(config.threads());
    Precision precision = config.precision().resolve(train.cols(), Runtime.getRuntime().maxMemory());
    float[] weights = EaseSolver.weights(GramMatrix.of(train), lambda, precision);
    return new EaseModel(train.cols(), lambda, weights, List.of(new EaseModel.Trial(lambda, Double.NaN)));
  }

  private static boolean hasHeldOutItems(HeldOutSet set) {
    return set.heldOut().nnz() > 0;
  }
}
