package org.vaecf.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.vaecf.data.split.PreparationStats;

/**
 * What fitting a {@link MultVae} found, kept with the model (and saved with it): the counts of the split, the
 * validation metric that chose the epoch, and the test users' metrics — NDCG@100, Recall@20 and Recall@50 as in the
 * paper, with their standard errors — computed by core's evaluator exactly as {@code vaecf evaluate} computes them.
 *
 * @param data counts of the split (users, items, interactions of each part; rows read, duplicates merged, …)
 * @param validationMetric name of the metric that picked the epoch, e.g. {@code ndcg@100}
 * @param bestEpoch the epoch whose weights the model holds (1-based)
 * @param bestValidation the validation metric at that epoch; NaN when no validation user had held-out items
 * @param test test metrics by name; empty when no test user had held-out items
 * @param testStandardErrors standard errors of the test metrics (population standard deviation over users / √n)
 * @param testUsers test users evaluated
 * @param preparationSeconds time of the distributed preparation, gathering included
 * @param trainingSeconds time of training and validation on the driver
 */
public record MultVaeSummary(
    PreparationStats data,
    String validationMetric,
    int bestEpoch,
    double bestValidation,
    Map<String, Double> test,
    Map<String, Double> testStandardErrors,
    int testUsers,
    double preparationSeconds,
    double trainingSeconds) {
  /** The test metrics that fitting reports: the paper's. */
  public static final String TEST_METRICS = "ndcg@100,recall@20,recall@50";

  public MultVaeSummary {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(validationMetric, "validationMetric");
    test = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(test));
    testStandardErrors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(testStandardErrors));
  }
}
