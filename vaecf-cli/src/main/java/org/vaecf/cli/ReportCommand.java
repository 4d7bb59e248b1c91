package org.vaecf.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.MetricParser;
import org.vaecf.io.ModelBundle;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;
import org.vaecf.report.HtmlReport;
import org.vaecf.report.ReportCharts;
import org.vaecf.report.ReportedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaecf report}: one self-contained HTML page about a trained model, optionally compared with others. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    header = "Write an HTML report of a model: loss, β and validation charts, test metrics, data, configuration.",
    description = {
      "Write one self-contained HTML page (charts embedded as images, no scripts) about a model bundle: training",
      "loss, NLL and KL per epoch; β per step; validation NDCG@100 per epoch with the best epoch marked; the test",
      "metrics with standard errors; the data statistics; the configuration. --compare adds other bundles to the",
      "β, validation and test charts and to every table. Test metrics need the prepared data: --data, or the",
      "directory the bundle was trained from (recorded by 'train')."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle to report on.")
  Path modelDir;

  @Option(
      names = "--compare",
      arity = "1..*",
      paramLabel = "OTHER",
      description = "Other model bundles to show beside it.")
  List<Path> others = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
  Path out;

  @Option(names = "--png", paramLabel = "DIR", description = "Also write each chart as DIR/<name>.png.")
  Path pngDir;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Prepared data for the test metrics of every model (default: each bundle's recorded directory).")
  Path data;

  @Option(names = "--threads", description = "Threads for the test evaluation (default: the number of cores).")
  Integer threads;

  @Override
  public Integer call() throws IOException {
    List<Path> bundles = new ArrayList<>();
    bundles.add(modelDir);
    bundles.addAll(others);
    if (threads != null && threads <= 0) { // before the bundles are read
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be > 0, got " + threads);
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    List<ReportedModel> models = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (Path bundle : bundles) {
      TrainedModel model = ModelBundle.read(bundle);
      String label = uniqueLabel(bundle, labels);
      Optional<PreparedData> prepared = preparedData(model, label);
      Optional<EvaluationResult> test = prepared.map(p -> test(model, p, threadCount));
      models.add(new ReportedModel(label, bundle.toString(), model, test, prepared.map(PreparedData::stats)));
    }
    List<ReportCharts.NamedChart> charts = ReportCharts.all(models);
    List<byte[]> pngs = charts.stream().map(ReportCharts.NamedChart::png).toList();
    if (pngDir != null) {
      Files.createDirectories(pngDir);
      for (int i = 0; i < charts.size(); i++) {
        writeAtomically(pngDir.resolve(charts.get(i).name() + ".png"), pngs.get(i));
      }
    }
    byte[] page = HtmlReport.render(models, charts, pngs).getBytes(StandardCharsets.UTF_8);
    writeAtomically(out, page);
    out().printf("report on %s written to %s (%d charts%s)%n", String.join(", ", labels(models)), out, charts.size(),
        pngDir == null ? "" : ", PNG files in " + pngDir);
    return 0;
  }

  private static List<String> labels(List<ReportedModel> models) {
    return models.stream().map(ReportedModel::label).toList();
  }

  private static String uniqueLabel(Path bundle, Set<String> taken) {
    Path name = bundle.toAbsolutePath().normalize().getFileName();
    String base = name == null ? bundle.toString() : name.toString();
    String label = base;
    for (int n = 2; !taken.add(label); n++) {
      label = base + " (" + n + ")";
    }
    return label;
  }

  /** The model's prepared data: --data (which must fit), else the recorded directory if it still fits. */
  private Optional<PreparedData> preparedData(TrainedModel model, String label) {
    if (data != null) {
      PreparedData prepared = PreparedDataStore.read(data);
      if (!prepared.items().equals(model.items())) {
        throw new IllegalArgumentException(
            "model " + label + " was not trained on " + data + ": its " + model.items().size()
                + " items differ from the data's " + prepared.items().size());
      }
      return Optional.of(prepared);
    }
    Object recorded = model.training().dataStats().get(TrainCommand.DATA_DIRECTORY_KEY);
    if (recorded == null || !Files.isDirectory(Path.of(recorded.toString()))) {
      spec.commandLine().getErr().printf(
          "note: no test metrics for %s: %s; give --data DIR%n", label,
          recorded == null ? "the bundle does not record its prepared data" : recorded + " is gone");
      return Optional.empty();
    }
    PreparedData prepared = PreparedDataStore.read(Path.of(recorded.toString()));
    if (!prepared.items().equals(model.items())) {
      spec.commandLine().getErr().printf(
          "note: no test metrics for %s: %s now holds other data; give --data DIR%n", label, recorded);
      return Optional.empty();
    }
    return Optional.of(prepared);
  }

  private static EvaluationResult test(TrainedModel model, PreparedData prepared, int threadCount) {
    Blas.setThreads(threadCount);
    try (Parallel parallel = new Parallel(threadCount)) {
      ModelScorer scorer = new ModelScorer(model.newNetwork(Evaluator.DEFAULT_BATCH_SIZE, parallel));
      return Evaluator.builder(MetricParser.parseList(CompareCommand.METRICS))
          .batchSize(scorer.capacity())
          .threads(threadCount)
          .build()
          .evaluate(scorer::score, prepared.test().foldIn(), prepared.test().heldOut());
    }
  }

  /** Writes {@code bytes} to a temporary sibling and renames it over {@code file}, so readers never see half a file. */
  static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path absolute = file.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    // a plain new file rather than createTempFile, whose owner-only mode would stay on the result
    Path temporary = parent.resolve("." + absolute.getFileName() + ".tmp-" + java.util.UUID.randomUUID());
    try {
      Files.write(temporary, bytes);
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
