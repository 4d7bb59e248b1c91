package org.vaecf.cli;

import java.util.List;
import org.vaecf.eval.EvaluationResult;

/** A plain-text table of evaluation results: one row per model, one column per metric, mean ± standard error. */
final class MetricTable {
  private MetricTable() {}

  /** Renders {@code results} (same metrics each) with the given row labels under the heading {@code columns[0]}. */
  static String render(List<String> heading, List<String> labels, List<EvaluationResult> results) {
    List<String> metrics = results.get(0).metricNames();
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-14s", heading.get(0)));
    for (String metric : metrics) {
      out.append(String.format("%20s", metric));
    }
    out.append('\n');
    for (int r = 0; r < results.size(); r++) {
      EvaluationResult result = results.get(r);
      out.append(String.format("%-14s", labels.get(r)));
      for (String metric : metrics) {
        double value = result.value(metric);
        String cell =
            result.standardError(metric).isPresent()
                ? String.format("%.4f ± %.4f", value, result.standardError(metric).getAsDouble())
                : String.format("%.4f", value);
        out.append(String.format("%20s", cell));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
