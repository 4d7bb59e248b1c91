package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.infer.BulkRecommender;
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
      "their items; a user of a per-user split appears once, with all their items). With --input and --format:",
      "every user of the log, their ratings binarised as prepare does (--threshold); ids the model does not know",
      "are ignored, users with no known item are skipped and counted. Progress goes to standard error."
    })
final class RecommendAllCommand implements Callable<Integer> {
  /** prepare's default rating threshold, which the models a log is scored with were trained under. */
  private static final double DEFAULT_THRESHOLD = StrongGeneralizationConfig.DEFAULT_RATING_THRESHOLD;

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

  @Option(
      names = "--threshold",
      paramLabel = "R|none",
      description = {
        "With --input: ratings strictly above R are clicks, the others ignored, as prepare binarises the data a",
        "model is trained on (default: 3.5); 'none' keeps every interaction. Logs without ratings keep all."
      })
  String threshold;

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
                OptionErrors.fromOptions(spec, dataOptions::readerOptions), source.inputs, trained.items(),
                OptionErrors.fromOptions(spec, this::ratingThreshold));
    Blas.setThreads(threadCount);
    boolean toStdout = out.toString().equals("-");
    PrintWriter log = spec.commandLine().getErr();
    Map<String, Object> summary;
    Path target = out.toAbsolutePath().normalize();
    if (toStdout || (Files.exists(target) && !Files.isRegularFile(target))) {
      // standard output, or a device or pipe (/dev/null, a FIFO): written as it goes, nothing to rename
      summary = recommendAll(trained, users, threadCount, toStdout ? System.out : Files.newOutputStream(target), log);
    } else {
      // The CSV goes to a new temporary sibling of the real file (through a symbolic link, to where it points),
      // renamed over it when complete: a failed or interrupted run leaves the previous file as it was.
      Path real = Files.exists(target) ? target.toRealPath() : target;
      Path partial = real.resolveSibling("." + real.getFileName() + ".part-" + UUID.randomUUID());
      OutputStream stream = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      partial.toFile().deleteOnExit(); // also when SIGINT or SIGTERM ends the run
      try {
        summary = recommendAll(trained, users, threadCount, stream, log);
        try (FileChannel written = FileChannel.open(partial, StandardOpenOption.WRITE)) {
          written.force(true); // on disk before it takes the old file's place
        }
        moveIntoPlace(partial, real);
      } finally {
        Files.deleteIfExists(partial);
      }
    }
    if (users.belowThreshold() > 0) {
      log.printf("ignored %,d interactions rated at or below the threshold; %,d users had none above it%n",
          users.belowThreshold(), users.usersWithoutPositives());
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
    if (source.data != null && threshold != null) {
      throw new IllegalArgumentException("--threshold applies to --input; prepared data (--data) is binarised already");
    }
    if (threshold != null) {
      SplitOptions.parseThreshold(threshold);
    }
    return null;
  }

  /** The threshold of --threshold, or prepare's default. */
  private double ratingThreshold() {
    return threshold == null ? DEFAULT_THRESHOLD : SplitOptions.parseThreshold(threshold);
  }

  /** Streams the CSV of every user to {@code sink} (and closes it); returns the run's summary figures. */
  private Map<String, Object> recommendAll(
      TrainedModel trained, UserHistories users, int threadCount, OutputStream sink, PrintWriter log)
      throws Exception {
    Map<String, Object> summary = new LinkedHashMap<>();
    try (OutputStream stream = new BufferedOutputStream(sink, 1 << 20);
        BulkRecommender recommender = new BulkRecommender(trained, batchSize, threadCount)) {
      // the products alone are timed before and after the run and averaged, so that a change in the machine's load
      // during the run does not favour either side of the ratio
      double[] productsBefore = compareProducts ? timeProducts(recommender, users, threadCount) : null;
      stream.write(CsvRecommendations.HEADER.getBytes(StandardCharsets.US_ASCII));
      // its progress clock starts now
      CsvRecommendations csv = new CsvRecommendations(stream, users, trained.items(), k, log);
      long started = System.nanoTime();
      recommender.recommendAll(users.histories(), k, csv);
      stream.flush();
      double seconds = (System.nanoTime() - started) / 1e9;
      int count = users.histories().rows();
      log.printf(Locale.ROOT, "recommended for %,d users in %.2f s (%,.0f users/s)%n", count, seconds,
          count / seconds);
      summary.put("users", count);
      summary.put("skippedUsers", users.skippedUsers());
      summary.put("unknownItemIds", users.unknownItemIds());
      summary.put("interactionsBelowThreshold", users.belowThreshold());
      summary.put("usersWithoutPositives", users.usersWithoutPositives());
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
    return summary;
  }

  /** Renames the finished CSV over {@code target} (atomically where the file system can). */
  private static void moveIntoPlace(Path partial, Path target) throws IOException {
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
