package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vaecf.data.AtomicDirectory;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.TrainedModel;
import org.vaecf.report.ReportCharts;
import org.vaecf.train.TrainConfig;
import org.vaecf.tune.BetaSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaecf tune-beta}: the paper's search for the KL weight β (Figure 2). */
@Command(
    name = "tune-beta",
    mixinStandardHelpOptions = true,
    header = "Find β as the paper does: anneal to 1, take the β of the validation peak, retrain with that cap.",
    description = {
      "The β search of Liang et al. (WWW 2018, Figure 2): train Mult-VAE with β annealed linearly to 1, find the",
      "β in force at the epoch with the best validation NDCG@100, and train again with β annealed at the same rate",
      "but capped there. --grid also trains one run per constant β, for the paper's comparison. Writes to --out:",
      "beta-search.json (the curve, the chosen β, every run's result), beta-search.png, and the bundles",
      "anneal/ and retrained/."
    })
final class TuneBetaCommand implements Callable<Integer> {
  /** What --out holds when it was written by this command (for replacing it safely). */
  static final String RESULT_FILE = "beta-search.json";

  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory written by 'prepare'.")
  Path data;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "tune-beta",
      description = "Directory for the results and models (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--epochs", description = "Epochs of every run (default: 200).")
  Integer epochs;

  @Option(
      names = "--grid",
      paramLabel = "β[,β…]",
      description = "Constant β values to train as well, e.g. 0.1,0.2,0.3,0.5 (default: none).")
  String grid;

  @Option(names = "--seed", description = "Seed of every run (default: 98765).")
  Long seed;

  @Option(names = "--threads", description = "Threads (default: the number of cores).")
  Integer threads;

  @Mixin ProgressOptions progress;

  @Override
  public Integer call() throws IOException {
    progress.takeOverTrainerLog();
    List<Double> constants =
        grid == null ? List.of() : OptionErrors.fromOptions(spec, () -> CompareCommand.parseNumbers("--grid", grid));
    TrainConfig base = OptionErrors.fromOptions(spec, this::trainConfig);
    OutputDirectories.requireReplaceable(spec, "--out", out, List.of(RESULT_FILE)); // before hours of training
    PreparedData prepared = PreparedDataStore.read(data);
    int runs = 2 + constants.size();
    out().printf(
        "β search on %s: %d runs of %d epochs (anneal to 1, retrain%s)%n", data, runs, base.epochs(),
        constants.isEmpty() ? "" : ", " + constants.size() + " constant β");
    BetaSearch.Result result =
        OptionErrors.fromOptions(spec, () -> new BetaSearch(
                ModelConfig.defaults(ModelType.MULT_VAE), base,
                name -> progress.listener(out(), name, base.epochs(), base.validationMetric().name())))
            .run(prepared, constants);
    String metric = base.validationMetric().name();
    ReportCharts.NamedChart chart = ReportCharts.betaSearch(result, metric);
    byte[] png = chart.png();
    byte[] json = json(result, metric);
    AtomicDirectory.write(out, RESULT_FILE, directory -> {
      AtomicDirectory.writeSynced(directory.resolve(RESULT_FILE), json);
      AtomicDirectory.writeSynced(directory.resolve("beta-search.png"), png);
      ModelBundle.write(withData(result.annealing().model()), directory.resolve("anneal"));
      ModelBundle.write(withData(result.retrained().model()), directory.resolve("retrained"));
    });
    print(result, metric);
    return 0;
  }

  private TrainedModel withData(TrainedModel model) {
    return new TrainedModel(
        model.config(), model.items(), model.weights(),
        model.training().withDataStat(TrainCommand.DATA_DIRECTORY_KEY, data.toAbsolutePath().normalize().toString()));
  }

  private TrainConfig trainConfig() {
    TrainConfig.Builder builder = TrainConfig.builder(ModelType.MULT_VAE);
    if (epochs != null) {
      builder.epochs(epochs);
    }
    if (seed != null) {
      builder.seed(seed);
    }
    if (threads != null) {
      builder.threads(threads);
    }
    return builder.build();
  }

  private void print(BetaSearch.Result result, String metric) {
    PrintWriter out = out();
    out.printf("%nvalidation %s against β while annealing to 1:%n", metric);
    out.printf("%8s %8s %10s%n", "epoch", "β", metric);
    List<BetaSearch.Point> curve = result.annealing().curve();
    int stride = Math.max(1, curve.size() / 20);
    int best = result.annealing().model().training().bestEpoch();
    for (int i = 0; i < curve.size(); i++) {
      BetaSearch.Point point = curve.get(i);
      if (i % stride == 0 || point.epoch() == best || i == curve.size() - 1) {
        out.printf(Locale.ROOT, "%8d %8.3f %10.4f%s%n", point.epoch(), point.beta(), point.validation(),
            point.epoch() == best ? "  ← peak" : "");
      }
    }
    for (BetaSearch.Run run : result.constant()) {
      out.printf(Locale.ROOT, "constant β = %-6s best validation %s %.4f (epoch %d)%n", Format.number(run.cap()),
          metric, run.bestValidation(), run.model().training().bestEpoch());
    }
    out.printf(Locale.ROOT, "chosen β = %.4f (validation peak at epoch %d of the annealing run: %s %.4f)%n",
        result.chosenBeta(), best, metric, result.annealing().bestValidation());
    if (result.peakAtEnd()) {
      out.println("note: the peak is the last epoch; the metric may still have been rising, try more --epochs");
    }
    out.printf(Locale.ROOT, "retrained with β annealed to %.4f: best validation %s %.4f (epoch %d)%n",
        result.chosenBeta(), metric, result.retrained().bestValidation(),
        result.retrained().model().training().bestEpoch());
    out.printf("written to %s (beta-search.json, beta-search.png, anneal/, retrained/)%n", this.out);
  }

  static byte[] json(BetaSearch.Result result, String metric) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("validationMetric", metric);
    root.put("chosenBeta", result.chosenBeta());
    root.put("peakAtLastEpoch", result.peakAtEnd());
    root.put("annealing", run(result.annealing()));
    root.put("retrained", run(result.retrained()));
    List<Map<String, Object>> constants = new ArrayList<>();
    for (BetaSearch.Run run : result.constant()) {
      constants.add(run(run));
    }
    root.put("constant", constants);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
  }

  private static Map<String, Object> run(BetaSearch.Run run) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("name", run.name());
    object.put("cap", run.cap());
    object.put("bestEpoch", run.model().training().bestEpoch());
    object.put("bestValidation", run.bestValidation());
    List<Map<String, Object>> curve = new ArrayList<>();
    for (BetaSearch.Point point : run.curve()) {
      curve.add(Map.of("epoch", point.epoch(), "beta", point.beta(), "validation", point.validation()));
    }
    object.put("curve", curve);
    return object;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
