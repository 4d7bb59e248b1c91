package org.vaecf.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.TrainingRecord;

/**
 * The report's charts, drawn with XChart: training loss, NLL and KL per epoch; β per step; the validation metric per
 * epoch with the best epoch marked; the test metrics with standard-error bars. Several models share the β,
 * validation and test charts; the loss chart shows the first model.
 */
public final class ReportCharts {
  /** Pixel size of every chart. */
  public static final int WIDTH = 900;

  public static final int HEIGHT = 420;

  private ReportCharts() {}

  /** One chart with its file name (without extension) and a sentence for the image's alternative text. */
  public record NamedChart(String name, String title, String description, Chart<?, ?> chart) {
    /** The chart as PNG bytes. */
    public byte[] png() {
      try {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      } catch (IOException e) {
        throw new UncheckedIOException("chart " + name + " could not be encoded as PNG", e);
      }
    }
  }

  /** The four charts for {@code models} (the first is the subject; the others are compared with it). */
  public static List<NamedChart> all(List<ReportedModel> models) {
    // AWT must not look for a display: the report is drawn on servers and in CI
    System.setProperty("java.awt.headless", "true");
    List<NamedChart> charts = new ArrayList<>();
    charts.add(loss(models.get(0)));
    charts.add(beta(models));
    charts.add(validation(models));
    testMetrics(models).ifPresent(charts::add);
    return charts;
  }

  static NamedChart loss(ReportedModel model) {
    TrainingRecord record = model.model().training();
    XYChart chart = xyChart("Training loss per epoch — " + model.label(), "epoch", "loss, NLL (per user)");
    double[] epochs = epochs(record.history());
    chart.addSeries("loss (NLL + β·KL)", epochs, values(record.history(), EpochRecord::loss));
    chart.addSeries("NLL", epochs, values(record.history(), EpochRecord::nll));
    XYSeries kl = chart.addSeries("KL (right axis)", epochs, values(record.history(), EpochRecord::kl));
    kl.setYAxisGroup(1);
    chart.setYAxisGroupTitle(1, "KL (per user)");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    return new NamedChart(
        "loss", "Training loss", "Mean training loss, multinomial NLL and KL divergence per user, by epoch", chart);
  }

  static NamedChart beta(List<ReportedModel> models) {
    XYChart chart = xyChart("KL weight β per optimiser step", "step", "β");
    for (ReportedModel model : models) {
      if (!model.model().config().variational()) {
        continue; // Mult-DAE has no KL term, so no β
      }
      TrainingRecord record = model.model().training();
      BetaCurve.of(record).ifPresent(curve -> {
        XYSeries line = chart.addSeries(model.label(), curve.steps(), curve.betas());
        line.setMarker(SeriesMarkers.NONE);
      });
      double[] ends = new double[record.history().size()];
      for (int i = 0; i < ends.length; i++) {
        ends[i] = record.history().get(i).steps() - 1;
      }
      if (ends.length > 0) {
        XYSeries points =
            chart.addSeries(model.label() + ": β at epoch ends", ends, values(record.history(), EpochRecord::beta));
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      // only Mult-DAE models: say so on the chart rather than draw empty axes
      chart.addSeries("no KL term (Mult-DAE): β is not used", new double[] {0}, new double[] {0});
    }
    return new NamedChart(
        "beta", "β per step", "The KL weight β at every optimiser step (annealing schedule); dots: β recorded at"
            + " the end of each epoch", chart);
  }

  static NamedChart validation(List<ReportedModel> models) {
    String metric = models.get(0).model().training().validationMetric();
    XYChart chart = xyChart("Validation " + metric + " per epoch", "epoch", metric);
    for (ReportedModel model : models) {
      TrainingRecord record = model.model().training();
      List<EpochRecord> measured =
          record.history().stream().filter(e -> Double.isFinite(e.validation())).toList();
      if (measured.isEmpty()) {
        continue;
      }
      XYSeries line = chart.addSeries(model.label(), epochs(measured), values(measured, EpochRecord::validation));
      line.setMarker(SeriesMarkers.NONE);
      if (record.bestEpoch() >= 1 && Double.isFinite(record.bestValidation())) {
        XYSeries best =
            chart.addSeries(
                String.format("%s: best epoch %d (%.4f)", model.label(), record.bestEpoch(), record.bestValidation()),
                new double[] {record.bestEpoch()}, new double[] {record.bestValidation()});
        best.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        best.setMarker(SeriesMarkers.DIAMOND);
        best.setMarkerColor(line.getLineColor() == null ? Color.RED : line.getLineColor().darker());
      }
    }
    return new NamedChart(
        "validation", "Validation " + metric,
        "Validation " + metric + " after every epoch; the diamond marks the best epoch, whose weights the model keeps",
        chart);
  }

  static java.util.Optional<NamedChart> testMetrics(List<ReportedModel> models) {
    List<ReportedModel> measured = models.stream().filter(m -> m.test().isPresent()).toList();
    if (measured.isEmpty()) {
      return java.util.Optional.empty();
    }
    CategoryChart chart =
        new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Test metrics (mean ± standard error)")
            .xAxisTitle("metric").yAxisTitle("value").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("0.00");
    for (ReportedModel model : measured) {
      EvaluationResult test = model.test().orElseThrow();
      List<String> names = test.metricNames();
      List<Double> values = names.stream().map(test::value).toList();
      List<Double> errors = names.stream().map(n -> test.standardError(n).orElse(0.0)).toList();
      chart.addSeries(model.label(), names, values, errors);
    }
    return java.util.Optional.of(new NamedChart(
        "test", "Test metrics", "Test NDCG@100, Recall@20 and Recall@50 with standard-error bars", chart));
  }

  private static XYChart xyChart(String title, String x, String y) {
    XYChart chart =
        new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    // below the plot, so that no curve hides behind it
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setPlotGridLinesStroke(new BasicStroke(0.5f));
    return chart;
  }

  private static double[] epochs(List<EpochRecord> history) {
    return history.stream().mapToDouble(EpochRecord::epoch).toArray();
  }

  private static double[] values(List<EpochRecord> history, java.util.function.ToDoubleFunction<EpochRecord> value) {
    // XChart skips NaN points, which is how a missing value should look
    return history.stream().mapToDouble(value).toArray();
  }

  /**
   * The β search as the paper's Figure 2 compares it: validation metric against β for the run annealed to 1 (one
   * point per epoch), for the constant-β runs (their best epochs), and the chosen β with the retrained run's result.
   */
  public static NamedChart betaSearch(org.vaecf.tune.BetaSearch.Result result, String metric) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = xyChart("Validation " + metric + " against β", "β", metric);
    List<org.vaecf.tune.BetaSearch.Point> curve = result.annealing().curve();
    XYSeries annealing =
        chart.addSeries(
            "annealed to β = 1 (each epoch)", curve.stream().mapToDouble(org.vaecf.tune.BetaSearch.Point::beta).toArray(),
            curve.stream().mapToDouble(org.vaecf.tune.BetaSearch.Point::validation).toArray());
    annealing.setMarker(SeriesMarkers.CIRCLE);
    if (!result.constant().isEmpty()) {
      XYSeries constant =
          chart.addSeries(
              "constant β (best epoch)", result.constant().stream().mapToDouble(org.vaecf.tune.BetaSearch.Run::cap).toArray(),
              result.constant().stream().mapToDouble(org.vaecf.tune.BetaSearch.Run::bestValidation).toArray());
      constant.setMarker(SeriesMarkers.SQUARE);
    }
    XYSeries peak =
        chart.addSeries(
            String.format(java.util.Locale.ROOT, "peak: β = %.3f", result.chosenBeta()),
            new double[] {result.chosenBeta()}, new double[] {result.annealing().bestValidation()});
    peak.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    peak.setMarker(SeriesMarkers.DIAMOND);
    XYSeries retrained =
        chart.addSeries(
            String.format(java.util.Locale.ROOT, "retrained, β annealed to %.3f (best epoch)", result.chosenBeta()),
            new double[] {result.chosenBeta()}, new double[] {result.retrained().bestValidation()});
    retrained.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    retrained.setMarker(SeriesMarkers.TRIANGLE_UP);
    return new NamedChart(
        "beta-search", "β search",
        "Validation " + metric + " against β: annealing to 1, constant β, the chosen peak and the retrained run",
        chart);
  }
}
