package org.vaecf.cli;

import java.io.PrintWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.data.split.Provenance;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.MetricParser;
import org.vaecf.eval.PopularityScorer;
import org.vaecf.infer.Recommendation;
import org.vaecf.infer.Recommender;
import org.vaecf.infer.ScoredItem;
import org.vaecf.io.ModelBundle;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vaecf demo}: the whole pipeline on an embedded synthetic data set (or on a file given with --data):
 * generate → prepare → train → evaluate against popularity → recommend for a few held-out users.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run the whole pipeline on synthetic data (or --data): prepare, train, compare, recommend.",
    description = {
      "Run the whole pipeline: generate a synthetic click log with planted structure (or read --data), split it",
      "as the paper does, train Mult-VAE, compare it with popularity on held-out users, and show recommendations.",
      "Everything is written under --work."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The demo's default epochs: enough for the synthetic data to converge well within three minutes. */
  static final int DEMO_EPOCHS = 60;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "Run on this interaction log instead of the synthetic one (needs --format; repeatable).")
  List<Path> inputs;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      defaultValue = "vaecf-demo",
      description = "Where the data, the prepared split and the model go (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(
      names = "--heldout-users",
      paramLabel = "N",
      description = "Validation users and as many test users (default: 10%% of the users each).")
  Integer heldOutUsers;

  @Mixin DataOptions data;

  @Mixin TrainingOptions training;

  @Override
  public Integer call() throws IOException {
    if (training.epochs == null) {
      training.epochs = DEMO_EPOCHS;
    }
    ModelConfig modelConfig = OptionErrors.fromOptions(spec, training::modelConfig);
    ReaderOptions readerOptions =
        inputs == null || inputs.isEmpty() ? null : OptionErrors.fromOptions(spec, data::readerOptions);
    // the split and the model are written after minutes of work: a directory in the way is reported first
    OutputDirectories.requireReplaceable(spec, "--work", work.resolve("data"), List.of(PreparedDataStore.STATS_FILE));
    OutputDirectories.requireReplaceable(
        spec, "--work", work.resolve("model"), List.of(ModelBundle.MODEL_FILE, ModelBundle.CHECKPOINT_DIRECTORY));
    Files.createDirectories(work);
    long started = System.nanoTime();
    Interactions interactions;
    String format;
    List<String> sources;
    if (inputs == null || inputs.isEmpty()) {
      SyntheticData.Settings settings = SyntheticData.Settings.demo();
      Path file = work.resolve("synthetic.csv");
      writeCsv(new SyntheticData(settings).generate(), file);
      out().printf(
          "1. generated a synthetic click log (%,d users, %,d items, %d tastes, power-law popularity): %s%n",
          settings.users(), settings.items(), settings.tastes(), file);
      ReaderOptions options =
          ReaderOptions.builder(InteractionFormat.CSV)
              .userColumn(org.vaecf.data.ColumnRef.index(0))
              .itemColumn(org.vaecf.data.ColumnRef.index(1))
              .timestampColumn(org.vaecf.data.ColumnRef.index(2))
              .build();
      interactions = new InteractionReader(options).read(file);
      format = "csv";
      sources = List.of(file.toString());
    } else {
      interactions = new InteractionReader(readerOptions).read(inputs);
      format = data.format().cliName();
      sources = PrepareCommand.paths(inputs);
      out().printf("1. read %,d interactions from %s%n", interactions.size(), sources);
    }

    int heldOut = heldOutUsers != null ? heldOutUsers : Math.max(1, interactions.users().size() / 10);
    StrongGeneralizationConfig splitConfig = StrongGeneralizationConfig.defaults(heldOut);
    PreparedData prepared =
        splitConfig.splitter().split(interactions).withProvenance(new Provenance(format, sources, splitConfig));
    Path preparedDir = work.resolve("data");
    PreparedDataStore.write(prepared, preparedDir);
    out().printf("2. split as the paper does (held-out users, 80/20 fold-in): %s%n", preparedDir);
    out().print(indent(PrepareCommand.describe(prepared.stats())));

    out().printf(
        "3. training %s for %d epochs (one line per epoch on stderr)…%n", training.model, training.epochs);
    TrainConfig trainConfig = OptionErrors.fromOptions(spec, () -> training.trainConfig(prepared.stats()));
    TrainedModel model = new Trainer(modelConfig, trainConfig).train(prepared);
    Path modelDir = work.resolve("model");
    ModelBundle.write(model, modelDir);
    out().printf(
        "   best epoch %d, validation %s %s; model written to %s%n", model.training().bestEpoch(),
        model.training().validationMetric(), Format.metric(model.training().bestValidation()), modelDir);

    out().printf("4. test users (%d): fold-in items in, held-out items to find%n", prepared.test().size());
    List<EvaluationResult> results = compare(model, prepared);
    out().print(
        indent(MetricTable.render(List.of("model"), List.of(model.config().type().cliName(), "popularity"), results)));

    out().println("5. recommendations for three test users (* = one of the user's held-out items)");
    showRecommendations(model, prepared.test(), prepared.items());
    out().printf("done in %.0f s. Next: ./vaecf recommend --model %s --items ID,ID,…%n",
        (System.nanoTime() - started) / 1e9, modelDir);
    return 0;
  }

  private List<EvaluationResult> compare(TrainedModel model, PreparedData prepared) {
    Evaluator evaluator =
        Evaluator.builder(MetricParser.parseList("ndcg@100,recall@20,recall@50")).batchSize(1000).build();
    HeldOutSet test = prepared.test();
    List<EvaluationResult> results = new ArrayList<>();
    try (Parallel parallel = new Parallel(Runtime.getRuntime().availableProcessors())) {
      ModelScorer scorer = new ModelScorer(model.newNetwork(1000, parallel));
      results.add(evaluator.evaluate(scorer::score, test.foldIn(), test.heldOut()));
    }
    results.add(evaluator.evaluate(new PopularityScorer(prepared.train()), test.foldIn(), test.heldOut()));
    return results;
  }

  private void showRecommendations(TrainedModel model, HeldOutSet test, IdIndex items) {
    try (Recommender recommender = new Recommender(model)) {
      int shown = 0;
      for (int user = 0; user < test.size() && shown < 3; user++) {
        CsrMatrix heldOut = test.heldOut();
        if (heldOut.rowLength(user) == 0) {
          continue;
        }
        List<String> history = ids(test.foldIn().row(user), items);
        Recommendation recommendation = recommender.recommend(history, 10);
        out().printf(
            "   user %s clicked %d items (%s%s)%n     top 10:", test.users().rawId(user), history.size(),
            String.join(" ", history.subList(0, Math.min(8, history.size()))), history.size() > 8 ? " …" : "");
        for (ScoredItem item : recommendation.items()) {
          boolean hit = Arrays.binarySearch(heldOut.row(user), items.require(item.id())) >= 0;
          out().print(" " + item.id() + (hit ? "*" : ""));
        }
        out().println();
        shown++;
      }
    }
  }

  private static List<String> ids(int[] indexes, IdIndex items) {
    List<String> ids = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      ids.add(items.rawId(index));
    }
    return ids;
  }

  private static void writeCsv(Interactions log, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("user,item,timestamp\n");
      for (int k = 0; k < log.size(); k++) {
        out.write(log.users().rawId(log.user(k)));
        out.write(',');
        out.write(log.items().rawId(log.item(k)));
        out.write(',');
        out.write(Long.toString(log.timestamp(k)));
        out.write('\n');
      }
    }
  }

  private static String indent(String text) {
    return text.replaceAll("(?m)^", "   ");
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
