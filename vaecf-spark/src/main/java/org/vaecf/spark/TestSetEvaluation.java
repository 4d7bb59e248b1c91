package org.vaecf.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.MetricParser;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;

/**
 * Measures a freshly trained model on the test users, on the driver, the way {@code vaecf evaluate} does: fold-in
 * items given and excluded, the paper's metrics, users without held-out items skipped.
 */
final class TestSetEvaluation {
  private TestSetEvaluation() {}

  /** The metrics of {@code model} on {@code test}, or an empty result when no test user has held-out items. */
  static Result evaluate(TrainedModel model, HeldOutSet test, int threads) {
    if (test.heldOut().nnz() == 0) {
      return new Result(Map.of(), Map.of(), 0);
    }
    Blas.setThreads(threads);
    EvaluationResult result;
    try (Parallel parallel = new Parallel(threads)) {
      ModelScorer scorer = new ModelScorer(model.newNetwork(Evaluator.DEFAULT_BATCH_SIZE, parallel));
      result = Evaluator.builder(MetricParser.parseList(MultVaeSummary.TEST_METRICS))
          .batchSize(scorer.capacity())
          .threads(threads)
          .build()
          .evaluate(scorer::score, test.foldIn(), test.heldOut());
    }
    Map<String, Double> errors = new LinkedHashMap<>();
    for (String name : result.metricNames()) {
      result.standardError(name).ifPresent(error -> errors.put(name, error));
    }
    return new Result(result.values(), errors, result.users());
  }

  /** Metric values, their standard errors, and the number of users evaluated. */
  record Result(Map<String, Double> values, Map<String, Double> standardErrors, int users) {}
}
