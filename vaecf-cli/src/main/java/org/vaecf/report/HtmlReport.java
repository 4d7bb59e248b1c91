package org.vaecf.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.TrainingRecord;

/**
 * Writes the report as one HTML page that needs nothing else: styles inline, charts embedded as PNG data URIs, no
 * scripts. Sections: test metrics (the table), charts, data statistics, configuration. Text from bundles is escaped.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** The page for {@code models} (the first is the subject) with {@code charts} already drawn. */
  public static String render(List<ReportedModel> models, List<ReportCharts.NamedChart> charts, List<byte[]> pngs) {
    ReportedModel subject = models.get(0);
    StringBuilder html = new StringBuilder(1 << 16);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>vaecf report: ").append(escape(subject.label())).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    html.append("<h1>Training report: ").append(escape(subject.label())).append("</h1>\n");
    html.append("<p class=\"sub\">").append(escape(describe(subject)));
    if (models.size() > 1) {
      html.append(" Compared with ")
          .append(escape(String.join(", ", models.subList(1, models.size()).stream().map(ReportedModel::label).toList())))
          .append('.');
    }
    html.append("</p>\n");
    metricsTable(html, models);
    html.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
    for (int i = 0; i < charts.size(); i++) {
      ReportCharts.NamedChart chart = charts.get(i);
      html.append("<figure id=\"chart-").append(chart.name()).append("\">\n<img alt=\"")
          .append(escape(chart.description())).append("\" width=\"").append(ReportCharts.WIDTH)
          .append("\" height=\"").append(ReportCharts.HEIGHT).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(pngs.get(i))).append("\">\n<figcaption>")
          .append(escape(chart.description())).append("</figcaption>\n</figure>\n");
    }
    html.append("</div>\n");
    dataTable(html, models);
    configurationTable(html, models);
    html.append("<p class=\"foot\">Written by vaecf. Mult-VAE and Mult-DAE: Liang, Krishnan, Hoffman and Jebara, ")
        .append("&ldquo;Variational Autoencoders for Collaborative Filtering&rdquo;, WWW 2018.</p>\n");
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static String describe(ReportedModel model) {
    TrainingRecord record = model.model().training();
    return String.format(
        Locale.ROOT, "%s read from %s: %d epochs, trained %s with vaecf %s.", model.model().config().type(),
        model.location(), record.history().size(), record.createdAt(), record.version());
  }

  private static void metricsTable(StringBuilder html, List<ReportedModel> models) {
    html.append("<h2>Test metrics</h2>\n");
    List<String> metrics = new ArrayList<>();
    for (ReportedModel model : models) {
      model.test().ifPresent(t -> t.metricNames().forEach(n -> {
        if (!metrics.contains(n)) {
          metrics.add(n);
        }
      }));
    }
    html.append("<table id=\"test-metrics\">\n<thead><tr><th>model</th><th>test users</th>");
    for (String metric : metrics) {
      html.append("<th>").append(escape(metric)).append("</th>");
    }
    html.append("<th>best epoch</th><th>validation ")
        .append(escape(models.get(0).model().training().validationMetric()))
        .append("</th><th>training time</th></tr></thead>\n<tbody>\n");
    for (ReportedModel model : models) {
      TrainingRecord record = model.model().training();
      html.append("<tr><th>").append(escape(model.label())).append("</th>");
      if (model.test().isPresent()) {
        EvaluationResult test = model.test().get();
        html.append("<td>").append(test.users()).append("</td>");
        for (String metric : metrics) {
          html.append("<td>");
          if (test.metricNames().contains(metric)) {
            html.append(String.format(Locale.ROOT, "%.4f", test.value(metric)));
            test.standardError(metric).ifPresent(
                se -> html.append(String.format(Locale.ROOT, " <span class=\"se\">± %.4f</span>", se)));
          }
          html.append("</td>");
        }
      } else {
        html.append("<td colspan=\"").append(metrics.size() + 1)
            .append("\" class=\"missing\">no test metrics: the prepared data was not found (give --data)</td>");
      }
      double seconds = record.history().stream().mapToDouble(EpochRecord::seconds).sum();
      html.append("<td>").append(record.bestEpoch()).append(" of ").append(record.history().size()).append("</td>")
          .append("<td>").append(metric(record.bestValidation())).append("</td>")
          .append("<td>").append(String.format(Locale.ROOT, "%.1f s", seconds)).append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n<p class=\"note\">Mean ± standard error over the test users (std / √n, as the ")
        .append("paper's notebook computes it). Each test user's fold-in items go in and are excluded from the ")
        .append("ranking; the held-out items are the relevant ones. Recall@k divides by min(k, held-out items).</p>\n");
  }

  private static void dataTable(StringBuilder html, List<ReportedModel> models) {
    html.append("<h2>Data</h2>\n<table id=\"data\">\n<thead><tr><th></th>");
    for (ReportedModel model : models) {
      html.append("<th>").append(escape(model.label())).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    List<Map<String, String>> columns = new ArrayList<>();
    Set<String> rows = new LinkedHashSet<>();
    for (ReportedModel model : models) {
      Map<String, String> column = dataColumn(model);
      columns.add(column);
      rows.addAll(column.keySet());
    }
    table(html, rows, columns);
  }

  private static Map<String, String> dataColumn(ReportedModel model) {
    Map<String, String> column = new LinkedHashMap<>();
    if (model.stats().isPresent()) {
      PreparationStats s = model.stats().get();
      column.put("training users", count(s.trainUsers()));
      column.put("items", count(s.items()));
      column.put("training interactions", count(s.trainInteractions()));
      column.put("items per training user (mean)",
          String.format(Locale.ROOT, "%.1f", (double) s.trainInteractions() / Math.max(1, s.trainUsers())));
      column.put("density of the training matrix", String.format(
          Locale.ROOT, "%.3f%%", 100.0 * s.trainInteractions() / Math.max(1.0, (double) s.trainUsers() * s.items())));
      column.put("validation users (fold-in / held-out interactions)", String.format(
          Locale.ROOT, "%s (%s / %s)", count(s.validationUsers()), count(s.validationFoldInInteractions()),
          count(s.validationHeldOutInteractions())));
      column.put("test users (fold-in / held-out interactions)", String.format(
          Locale.ROOT, "%s (%s / %s)", count(s.testUsers()), count(s.testFoldInInteractions()),
          count(s.testHeldOutInteractions())));
      column.put("lines read (skipped, duplicates merged)", String.format(
          Locale.ROOT, "%s (%s, %s)", count(s.linesRead()), count(s.skippedLines()), count(s.duplicatePairs())));
    } else {
      model.model().training().dataStats().forEach((key, value) -> column.put(key, String.valueOf(value)));
    }
    Object directory = model.model().training().dataStats().get("directory");
    if (directory != null) {
      column.put("prepared data", String.valueOf(directory));
    }
    return column;
  }

  private static void configurationTable(StringBuilder html, List<ReportedModel> models) {
    html.append("<h2>Configuration</h2>\n<table id=\"configuration\">\n<thead><tr><th></th>");
    for (ReportedModel model : models) {
      html.append("<th>").append(escape(model.label())).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    List<Map<String, String>> columns = new ArrayList<>();
    Set<String> rows = new LinkedHashSet<>();
    for (ReportedModel model : models) {
      Map<String, String> column = new LinkedHashMap<>();
      ModelConfig config = model.model().config();
      column.put("model", config.type().cliName());
      column.put("architecture", architecture(config, model.model().items().size()));
      column.put("input dropout", number(config.dropout()));
      TrainingRecord record = model.model().training();
      record.settings().forEach((key, value) -> column.put(key, value instanceof Number n ? number(n.doubleValue())
          : String.valueOf(value)));
      column.put("validation metric", record.validationMetric());
      column.put("created", record.createdAt());
      column.put("vaecf version", record.version());
      columns.add(column);
      rows.addAll(column.keySet());
    }
    table(html, rows, columns);
  }

  private static String architecture(ModelConfig config, int items) {
    StringBuilder text = new StringBuilder("[").append(items);
    for (int width : config.hiddenDims()) {
      text.append(" → ").append(width);
    }
    text.append(" → ").append(config.latentDim());
    for (int i = config.hiddenDims().size() - 1; i >= 0; i--) {
      text.append(" → ").append(config.hiddenDims().get(i));
    }
    return text.append(" → ").append(items).append(']').toString();
  }

  private static void table(StringBuilder html, Set<String> rows, List<Map<String, String>> columns) {
    for (String row : rows) {
      html.append("<tr><th>").append(escape(row)).append("</th>");
      for (Map<String, String> column : columns) {
        html.append("<td>").append(escape(column.getOrDefault(row, ""))).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String metric(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a";
  }

  /** A setting as typed: {@code 200}, {@code 0.001}, {@code 1.0E-8} (the shortest decimal of its float or double). */
  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return "n/a";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    float narrow = (float) value;
    return narrow == value ? Float.toString(narrow) : Double.toString(value);
  }

  /** Escapes text for HTML element content and attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE =
      """
      body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px;
             color: #222; padding: 0 1em; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
      .sub, .note, .foot { color: #555; font-size: 0.9em; }
      table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
      th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
      thead th { background: #f0f3f7; text-align: center; }
      tbody th { text-align: left; font-weight: normal; background: #fafafa; }
      .se { color: #666; }
      .missing { color: #a33; text-align: left; }
      figure { margin: 1em 0; }
      figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
      figcaption { color: #555; font-size: 0.85em; }
      """;
}
