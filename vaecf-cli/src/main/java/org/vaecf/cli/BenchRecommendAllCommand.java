package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.io.ModelBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaecf bench recommend-all}: batch scoring against its own speed limit. Runs {@code recommend-all} over
 * synthetic users of a 20,108-item model, writing the CSV, then times the same matrix products alone in the same
 * process, and reports both speeds and their ratio: after a warm-up run by default, whose figures are reported too.
 */
@Command(
    name = "recommend-all",
    mixinStandardHelpOptions = true,
    header = "Time recommend-all against the same matrix products alone.",
    description = {
      "Build a 20,108-item Mult-VAE (or take --model), prepare --users synthetic users over its items, run",
      "'recommend-all --compare-products' on them (top --k per user to a CSV file) and report its speed, the speed",
      "of the same products alone, and the ratio."
    })
final class BenchRecommendAllCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--items",
      defaultValue = "20108",
      description = "Items of the built model, at least " + BenchData.MIN_ITEMS + " (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--users", defaultValue = "10000", description = "Users to recommend for (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "Use this bundle (at least " + BenchData.MIN_ITEMS + " items, named i0, i1, …).")
  Path model;

  @Option(names = {"-k", "--k"}, defaultValue = "100", description = "Items per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--batch-size",
      defaultValue = "" + org.vaecf.infer.BulkRecommender.DEFAULT_BATCH,
      description = "Users per matrix product (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--warmup-runs",
      defaultValue = "2",
      description =
          "Whole runs before the measured one, in the same JVM (default: ${DEFAULT-VALUE}). The products alone are "
              + "timed warm, so the run is too: at 10,000 users the whole run lasts about a second, of which the "
              + "compiler takes a quarter on the first (the first run's figures are reported as coldUsersPerSecond "
              + "and coldRatio).")
  int warmupRuns;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    OptionErrors.fromOptions(spec, this::check);
    PrintWriter log = spec.commandLine().getErr();
    Path work = Files.createTempDirectory("vaecf-bench-recommend-all");
    try {
      Path bundle = model;
      if (bundle == null) {
        log.printf("building a %,d-item Mult-VAE: one epoch on 10,000 synthetic users…%n", items);
        log.flush();
        bundle = work.resolve("model");
        ModelBundle.write(BenchData.briefModel(BenchData.prepared(10_000, items, 20180423L), 2), bundle);
      }
      int modelItems = ModelBundle.read(bundle).items().size();
      if (modelItems < BenchData.MIN_ITEMS) { // a built model has --items, checked above
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--model must have at least " + BenchData.MIN_ITEMS + " items (the synthetic users are drawn over them "
                + "with " + BenchData.TASTES + " tastes), got " + modelItems + " in " + bundle);
      }
      Path data = work.resolve("users");
      PreparedDataStore.write(BenchData.prepared(users, modelItems, 987654321L), data);
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode cold = null;
      ObjectNode figures = null;
      for (int run = 0; run <= warmupRuns; run++) {
        if (run < warmupRuns) {
          log.printf("warm-up run %d of %d (its figures are reported as cold*)…%n", run + 1, warmupRuns);
        } else if (warmupRuns > 0) {
          log.printf("measured run…%n");
        }
        log.flush();
        StringWriter out = new StringWriter();
        CommandLine recommendAll = VaecfCommand.newCommandLine();
        recommendAll.setOut(new PrintWriter(out, true));
        recommendAll.setErr(log);
        int code =
            recommendAll.execute(
                "recommend-all", "--model", bundle.toString(), "--data", data.toString(), "-k", Integer.toString(k),
                "--out", work.resolve("recs.csv").toString(), "--batch-size", Integer.toString(batchSize),
                "--compare-products", "--json");
        if (code != 0) {
          return code;
        }
        figures = (ObjectNode) mapper.readTree(out.toString().trim());
        if (run == 0) {
          cold = figures;
        }
      }
      if (warmupRuns > 0) {
        figures.put("warmupRuns", warmupRuns);
        figures.put("coldUsersPerSecond", cold.get("usersPerSecond").asDouble());
        figures.put("coldRatio", cold.get("ratio").asDouble());
      }
      if (json) {
        spec.commandLine().getOut().println(mapper.writeValueAsString(figures));
      } else {
        spec.commandLine().getOut().printf(
            java.util.Locale.ROOT,
            "recommend-all: %,d users, top %d of %,d items: %,.0f users/s; products alone %,.0f users/s; ratio %.2f%s%n",
            figures.get("users").asInt(), k, figures.get("items").asInt(), figures.get("usersPerSecond").asDouble(),
            figures.get("productsUsersPerSecond").asDouble(), figures.get("ratio").asDouble(),
            warmupRuns > 0
                ? String.format(java.util.Locale.ROOT, " (first, cold run: %.2f)", cold.get("ratio").asDouble())
                : "");
      }
      return 0;
    } finally {
      try (Stream<Path> paths = Files.walk(work)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  // before the model is built: recommend-all would refuse --batch-size only after it, the synthetic data --items
  private Void check() {
    String[] names = {"--users", "-k", "--batch-size"};
    int[] values = {users, k, batchSize};
    for (int o = 0; o < names.length; o++) {
      if (values[o] <= 0) {
        throw new IllegalArgumentException(names[o] + " must be > 0, got " + values[o]);
      }
    }
    if (warmupRuns < 0) {
      throw new IllegalArgumentException("--warmup-runs must be >= 0, got " + warmupRuns);
    }
    BenchData.checkItems(items);
    return null;
  }
}
