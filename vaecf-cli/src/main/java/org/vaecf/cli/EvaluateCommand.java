package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vaecf.data.split.EvaluationPart;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.Metric;
import org.vaecf.eval.MetricParser;
import org.vaecf.io.ModelBundle;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code vaecf evaluate}: ranks held-out users' items with a trained model and reports the paper's metrics. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    header = "Evaluate a model on held-out users: NDCG@k, Recall@k and more, with standard errors.",
    description = {
      "Evaluate a model on the validation or test users of a prepared data set: each user's fold-in items go in,",
      "are excluded from the ranking, and the ranking is scored against the user's held-out items.",
      "Reports mean ± standard error over users (users without held-out items are skipped and counted)."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
  Path modelDir;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory written by 'prepare'.")
  Path data;

  @Option(
      names = "--split",
      defaultValue = "test",
      paramLabel = "test|validation",
      description = "Which held-out users (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--k",
      defaultValue = "20,50,100",
      split = ",",
      paramLabel = "K",
      description = "Cut-offs for NDCG@K and Recall@K (default: ${DEFAULT-VALUE}).")
  List<Integer> ks;

  @Option(
      names = "--metrics",
      paramLabel = "NAME[,NAME…]",
      description = "Extra metrics, e.g. precision@10,hitrate@10,mrr@100,map@100,coverage@100.")
  String extraMetrics;

  @Option(names = "--threads", description = "Threads (default: the number of cores).")
  Integer threads;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    EvaluationPart part = OptionErrors.fromOptions(spec, () -> parsePart(split));
    List<Metric> metrics = OptionErrors.fromOptions(spec, this::metrics);
    if (threads != null && threads <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be > 0, got " + threads);
    }
    TrainedModel model = ModelBundle.read(modelDir);
    PreparedData prepared = PreparedDataStore.read(data);
    if (!prepared.items().equals(model.items())) {
      throw new IllegalArgumentException(
          "the model's items (" + model.items().size() + ") differ from the data's items ("
              + prepared.items().size() + "): was the model trained on " + data + "?");
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    HeldOutSet users = prepared.heldOut(part);
    EvaluationResult result;
    Blas.setThreads(threadCount);
    try (Parallel parallel = new Parallel(threadCount)) {
      ModelScorer scorer = new ModelScorer(model.newNetwork(Evaluator.DEFAULT_BATCH_SIZE, parallel));
      result =
          Evaluator.builder(metrics)
              .batchSize(scorer.capacity())
              .threads(threadCount)
              .build()
              .evaluate(scorer::score, users.foldIn(), users.heldOut());
    }
    if (json) {
      out().println(toJson(result, part, model));
    } else {
      out().printf(
          "%s on %s users of %s: %d users evaluated, %d skipped (no held-out items)%n",
          model.config().type(), part.name().toLowerCase(), data, result.users(), result.skippedUsers());
      out().print(MetricTable.render(List.of("model"), List.of(model.config().type().cliName()), List.of(result)));
    }
    return 0;
  }

  private List<Metric> metrics() {
    List<Metric> metrics = new ArrayList<>();
    for (int k : ks) {
      metrics.add(MetricParser.parse("ndcg@" + k));
    }
    for (int k : ks) {
      metrics.add(MetricParser.parse("recall@" + k));
    }
    if (extraMetrics != null) {
      metrics.addAll(MetricParser.parseList(extraMetrics));
    }
    // --k 20,20, or --k 100 with --metrics ndcg@100: named here, before anything is read
    Set<String> names = new HashSet<>();
    for (Metric metric : metrics) {
      if (!names.add(metric.name())) {
        throw new IllegalArgumentException(
            "metric " + metric.name() + " is asked for twice (--k " + String.join(",", ks.stream().map(String::valueOf)
                .toList()) + (extraMetrics == null ? "" : ", --metrics " + extraMetrics) + ")");
      }
    }
    return metrics;
  }

  static EvaluationPart parsePart(String name) {
    return switch (name.toLowerCase()) {
      case "test" -> EvaluationPart.TEST;
      case "validation" -> EvaluationPart.VALIDATION;
      default -> throw new IllegalArgumentException("--split must be 'test' or 'validation', got '" + name + "'");
    };
  }

  static String toJson(EvaluationResult result, EvaluationPart part, TrainedModel model) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", model.config().type().cliName());
    out.put("split", part.name().toLowerCase());
    out.put("users", result.users());
    out.put("skippedUsers", result.skippedUsers());
    Map<String, Object> errors = new LinkedHashMap<>();
    for (String name : result.metricNames()) {
      out.put(name, result.value(name));
      result.standardError(name).ifPresent(se -> errors.put(name, se));
    }
    out.put("standardErrors", errors);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
