package org.vaecf.report;

import java.util.Objects;
import java.util.Optional;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.model.TrainedModel;

/**
 * One model as the report shows it.
 *
 * @param label the name in legends and table headings (unique within a report)
 * @param location where the bundle was read from, as given
 * @param model the model, with its training record
 * @param test its metrics on the test users of its prepared data, when that data was found
 * @param stats the statistics of its prepared data, when that data was found
 */
public record ReportedModel(
    String label,
    String location,
    TrainedModel model,
    Optional<EvaluationResult> test,
    Optional<PreparationStats> stats) {
  public ReportedModel {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(stats, "stats");
  }
}
