package org.vaecf.cli;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vaecf.infer.BulkRecommender;
import org.vaecf.infer.Ranking;
import org.vaecf.io.ModelBundle;
import org.vaecf.linalg.Blas;
import org.vaecf.model.TrainedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaecf recommend-all}: the top k items for every user of a prepared data set or a raw log, streamed to CSV at
 * matrix-product speed (Spark's {@code recommendForAllUsers}, on one machine).
 */
@Command(
    name = "recommend-all",
    mixinStandardHelpOptions = true,
    header = "Recommend for every user of a prepared split or a raw log, streaming CSV.",
    description = {
      "Fold in every user's items a batch at a time (one matrix product per batch), exclude the user's own items,",
      "and stream 'user,rank,item,score' lines (score: softmax probability over all items) to --out.",
      "With --data: every user of the prepared data (training users, then validation and test users with all",
      "their items). With --input and --format: every user of the log; ids the model does not know are ignored,",
      "users with no known item are skipped and counted. Progress goes to standard error."
    })
final class RecommendAllCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
  Path model;

  static final class Source {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory written by 'prepare'.")
    Path data;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "FILE",
        description = "An interaction log (needs --format; repeatable).")
    java.util.List<Path> inputs;
  }

  @ArgGroup(multiplicity = "1") Source source;

  @Mixin DataOptions dataOptions;

  @Option(names = {"-k", "--k"}, defaultValue = "100", description = "Items per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write ('-': stdout).")
  Path out;

  @Option(
      names = "--batch-size",
      defaultValue = "" + BulkRecommender.DEFAULT_BATCH,
      description = "Users per matrix product (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", paramLabel = "N", description = "Threads (default: one per core).")
  Integer threads;

  @Option(
      names = "--compare-products",
      description = "Also time the same matrix products alone (before and after the run, averaged) and report the ratio.")
  boolean compareProducts;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    OptionErrors.fromOptions(spec, () -> check(threadCount));
    TrainedModel trained = ModelBundle.read(model);
    UserHistories users =
        source.data != null
            ? UserHistories.fromPrepared(source.data, trained.items())
            : UserHistories.fromLog(
                OptionErrors.fromOptions(spec, dataOptions::readerOptions), source.inputs, trained.items());
    Blas.setThreads(threadCount);
    boolean toStdout = out.toString().equals("-");
    PrintWriter log = spec.commandLine().getErr();
    Map<String, Object> summary = new LinkedHashMap<>();
    try (BulkRecommender recommender = new BulkRecommender(trained, batchSize, threadCount);
        Writer writer = toStdout
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 20)
            : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      // the products alone are timed before and after the run and averaged, so that a change in the machine's load
      // during the run does not favour either side of the ratio
      double[] productsBefore = compareProducts ? timeProducts(recommender, users, threadCount) : null;
      writer.write("user,rank,item,score\n");
      CsvSink sink = new CsvSink(writer, users, trained, log); // its progress clock starts now
      long started = System.nanoTime();
      recommender.recommendAll(users.histories(), k, sink);
      writer.flush();
      double seconds = (System.nanoTime() - started) / 1e9;
      int count = users.histories().rows();
      log.printf(Locale.ROOT, "recommended for %,d users in %.2f s (%,.0f users/s)%n", count, seconds,
          count / seconds);
      summary.put("users", count);
      summary.put("skippedUsers", users.skippedUsers());
      summary.put("unknownItemIds", users.unknownItemIds());
      summary.put("items", trained.items().size());
      summary.put("k", k);
      summary.put("seconds", seconds);
      summary.put("usersPerSecond", count / seconds);
      if (compareProducts) {
        double[] productsAfter = timeProducts(recommender, users, threadCount);
        double sideBySide = (productsBefore[0] + productsAfter[0]) / 2;
        double oneAtATime = (productsBefore[1] + productsAfter[1]) / 2;
        // the products alone are credited with the faster of the two ways the machine can run them
        double productSeconds = Math.min(sideBySide, oneAtATime);
        summary.put("productsSideBySideSeconds", sideBySide);
        summary.put("productsOneAtATimeSeconds", oneAtATime);
        summary.put("productsSeconds", productSeconds);
        summary.put("productsUsersPerSecond", count / productSeconds);
        summary.put("ratio", productSeconds / seconds);
        log.printf(Locale.ROOT,
            "the same matrix products alone: %.2f s (%,.0f users/s); recommend-all ran at %.0f%% of their speed%n",
            productSeconds, count / productSeconds, 100 * productSeconds / seconds);
      }
    }
    if (users.skippedUsers() > 0 || users.unknownItemIds() > 0) {
      log.printf("skipped %,d users with no item known to the model; ignored %,d unknown item ids%n",
          users.skippedUsers(), users.unknownItemIds());
    }
    if (json) {
      (toStdout ? log : spec.commandLine().getOut()).println(new ObjectMapper().writeValueAsString(summary));
    } else if (!toStdout) {
      spec.commandLine().getOut().printf("wrote %s%n", out);
    }
    return 0;
  }

  /**
   * Seconds the run's products take alone: {@code [0]} side by side, one per worker on one BLAS thread each (as the
   * run does them), {@code [1]} one at a time on all the BLAS threads.
   */
  private static double[] timeProducts(BulkRecommender recommender, UserHistories users, int threadCount)
      throws Exception {
    return new double[] {
      recommender.productsOnlySeconds(users.histories()),
      recommender.sequentialProductsSeconds(users.histories(), threadCount)
    };
  }

  private Void check(int threadCount) {
    if (k <= 0) {
      throw new IllegalArgumentException("-k must be > 0, got " + k);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size must be > 0, got " + batchSize);
    }
    if (threadCount <= 0) {
      throw new IllegalArgumentException("--threads must be > 0, got " + threadCount);
    }
    if (source.inputs != null && dataOptions.format == null) {
      throw new IllegalArgumentException("--input needs --format: " + DataOptions.validFormats());
    }
    return null;
  }

  /**
   * Formats each batch as CSV lines on the worker that ranked it, then writes them in row order and reports progress
   * every two seconds.
   */
  private static final class CsvSink implements BulkRecommender.Sink<String> {
    private final Writer writer;
    private final UserHistories users;
    private final TrainedModel model;
    private final PrintWriter log;
    private final long started = System.nanoTime();
    private long lastReport = started;

    CsvSink(Writer writer, UserHistories users, TrainedModel model, PrintWriter log) {
      this.writer = writer;
      this.users = users;
      this.model = model;
      this.log = log;
    }

    @Override
    public String prepare(int firstRow, Ranking.Ranked[] ranked) {
      StringBuilder lines = new StringBuilder(ranked.length * 64);
      for (int r = 0; r < ranked.length; r++) {
        String user = users.userId(firstRow + r);
        int[] items = ranked[r].items();
        double[] scores = ranked[r].scores();
        for (int i = 0; i < items.length; i++) {
          lines.append(user).append(',').append(i + 1).append(',').append(model.items().rawId(items[i]))
              .append(',').append(NumberOutput.toString((float) scores[i], true)).append('\n');
        }
      }
      return lines.toString();
    }

    @Override
    public void write(int firstRow, int rows, String lines) throws IOException {
      writer.write(lines);
      long now = System.nanoTime();
      if (now - lastReport > 2_000_000_000L) {
        lastReport = now;
        int done = firstRow + rows;
        log.printf(Locale.ROOT, "  %,d of %,d users (%.0f users/s)%n", done, users.histories().rows(),
            done / ((now - started) / 1e9));
        log.flush();
      }
    }
  }
}
