package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vaecf.baseline.EaseConfig;
import org.vaecf.baseline.Precision;
import org.vaecf.compare.Comparison;
import org.vaecf.compare.ComparisonRow;
import org.vaecf.compare.Contender;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Metric;
import org.vaecf.eval.MetricParser;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaecf compare}: fits several recommenders on one split and prints their test metrics side by side. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    header = "Fit Mult-VAE, Mult-DAE, EASE and popularity on one split and compare them on the test users.",
    description = {
      "Fit each model on the training users of a prepared data set, let the validation users choose its free",
      "setting (the best epoch for Mult-VAE/Mult-DAE, λ for EASE), and measure all of them on the same test users:",
      "NDCG@100, Recall@20 and Recall@50 with standard errors, and the seconds spent fitting."
    })
final class CompareCommand implements Callable<Integer> {
  /** The metrics of the paper's tables. */
  static final String METRICS = "ndcg@100,recall@20,recall@50";

  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory written by 'prepare'.")
  Path data;

  @Option(
      names = "--models",
      defaultValue = "mult-vae,mult-dae,ease,popularity",
      paramLabel = "NAME[,NAME…]",
      description = "Models to compare, in order (default: ${DEFAULT-VALUE}).")
  String models;

  @Option(names = "--epochs", description = "Epochs for Mult-VAE and Mult-DAE (default: 200).")
  Integer epochs;

  @Option(names = "--seed", description = "Seed of Mult-VAE and Mult-DAE (default: 98765).")
  Long seed;

  @Option(
      names = "--ease-lambdas",
      paramLabel = "λ[,λ…]",
      description = "EASE's L2 weights to choose from on validation (default: 50,100,200,500,1000,2000).")
  String easeLambdas;

  @Option(
      names = "--ease-precision",
      paramLabel = "auto|float32|float64",
      defaultValue = "auto",
      description = "Width of EASE's item x item solve; auto uses float64 unless it would not fit (default: auto).")
  String easePrecision;

  @Option(names = "--threads", description = "Threads (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--json",
      description = "Print a JSON array, one object per model with model, ndcg@100, recall@20, recall@50, seconds.")
  boolean json;

  @Mixin ProgressOptions progress;

  @Override
  public Integer call() throws Exception {
    progress.takeOverTrainerLog();
    List<Contender> contenders = OptionErrors.fromOptions(spec, this::contenders);
    EaseConfig easeConfig = OptionErrors.fromOptions(spec, this::easeConfig);
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    OptionErrors.fromOptions(spec, () -> trainConfig(ModelType.MULT_VAE, threadCount));
    List<Metric> metrics = MetricParser.parseList(METRICS);
    PreparedData prepared = PreparedDataStore.read(data);
    // with --json standard output carries only the result, so progress goes to standard error
    PrintWriter progressOut = json ? spec.commandLine().getErr() : out();
    Comparison comparison =
        new Comparison(
            ModelConfig::defaults, type -> trainConfig(type, threadCount), easeConfig, metrics, threadCount,
            contender ->
                progress.listener(
                    progressOut, contender.cliName(), trainConfig(ModelType.MULT_VAE, threadCount).epochs(),
                    "ndcg@100"));
    List<ComparisonRow> rows = new ArrayList<>();
    for (Contender contender : contenders) {
      if (progress.mode() != TrainingProgress.Mode.NONE) {
        progressOut.printf("fitting %s…%n", contender.cliName());
        progressOut.flush();
      }
      rows.add(comparison.run(prepared, contender));
    }
    if (json) {
      out().println(toJson(rows));
    } else {
      out().printf("test users of %s: %d evaluated%n", data, rows.get(0).test().users());
      out().print(table(rows));
    }
    return 0;
  }

  private List<Contender> contenders() {
    LinkedHashSet<Contender> chosen = new LinkedHashSet<>();
    for (String name : models.split(",")) {
      if (!name.isBlank() && !chosen.add(Contender.fromCliName(name))) {
        throw new IllegalArgumentException("--models names " + name.trim() + " twice");
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("--models must name at least one model");
    }
    return List.copyOf(chosen);
  }

  private EaseConfig easeConfig() {
    EaseConfig config = EaseConfig.defaults();
    if (easeLambdas != null) {
      config = config.withLambdas(parseNumbers("--ease-lambdas", easeLambdas));
    }
    if (threads != null) {
      config = config.withThreads(threads);
    }
    Precision precision =
        switch (easePrecision.toLowerCase(Locale.ROOT)) {
          case "auto" -> Precision.AUTO;
          case "float32" -> Precision.FLOAT32;
          case "float64" -> Precision.FLOAT64;
          default -> throw new IllegalArgumentException(
              "--ease-precision must be auto, float32 or float64, got '" + easePrecision + "'");
        };
    return config.withPrecision(precision);
  }

  private TrainConfig trainConfig(ModelType type, int threadCount) {
    TrainConfig.Builder builder = TrainConfig.builder(type).threads(threadCount);
    if (epochs != null) {
      builder.epochs(epochs);
    }
    if (seed != null) {
      builder.seed(seed);
    }
    return builder.build();
  }

  /** Comma-separated positive numbers, for grids. */
  static List<Double> parseNumbers(String option, String text) {
    List<Double> values = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        values.add(Double.parseDouble(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be comma-separated numbers, got '" + text + "'");
      }
    }
    return values;
  }

  static String toJson(List<ComparisonRow> rows) throws Exception {
    List<Map<String, Object>> array = new ArrayList<>();
    for (ComparisonRow row : rows) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("model", row.contender().cliName());
      EvaluationResult test = row.test();
      Map<String, Object> errors = new LinkedHashMap<>();
      for (String name : test.metricNames()) {
        object.put(name, test.value(name));
        test.standardError(name).ifPresent(se -> errors.put(name, se));
      }
      object.put("standardErrors", errors);
      object.put("seconds", row.seconds());
      object.put("users", test.users());
      row.choices().forEach((key, value) -> object.put(key, finiteOrNull(value)));
      array.add(object);
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(array);
  }

  private static Object finiteOrNull(Object value) {
    return value instanceof Double d && !Double.isFinite(d) ? null : value;
  }

  static String table(List<ComparisonRow> rows) {
    List<String> metrics = rows.get(0).test().metricNames();
    StringBuilder out = new StringBuilder(String.format("%-12s", "model"));
    for (String metric : metrics) {
      out.append(String.format("%20s", metric));
    }
    out.append(String.format("%10s  %s%n", "seconds", "chosen on validation"));
    for (ComparisonRow row : rows) {
      out.append(String.format("%-12s", row.contender().cliName()));
      for (String metric : metrics) {
        out.append(String.format(
            "%20s",
            String.format(Locale.ROOT, "%.4f ± %.4f", row.test().value(metric),
                row.test().standardError(metric).orElse(Double.NaN))));
      }
      out.append(String.format(Locale.ROOT, "%10.1f  %s%n", row.seconds(), describeChoices(row.choices())));
    }
    return out.toString();
  }

  private static String describeChoices(Map<String, Object> choices) {
    if (choices.containsKey("lambda")) {
      return "λ = " + Format.number((Double) choices.get("lambda"));
    }
    if (choices.containsKey("bestEpoch")) {
      return "epoch " + choices.get("bestEpoch");
    }
    return "-";
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
