package org.vaecf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.vaecf.io.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaecf bench soak}: the service under sustained load with hot swaps. Serves one of two bundles, drives it with
 * {@code wrk} in one-minute rounds, and halfway through every round swaps to the other bundle over
 * {@code POST /v1/admin/reload}. Reports each round's requests, failures, p99 latency and the server's resident
 * memory, and checks the three promises: no failed request, memory growth after warm-up within 5%, p99 stable.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    header = "Soak the HTTP service: minutes of load with a hot swap every minute.",
    description = {
      "Build two 20,108-item models (or take --model A --model B), serve the first, and run wrk for --minutes rounds",
      "of 60 s at --connections connections, reloading the other bundle in the middle of every round. Prints one row",
      "per round (requests, failures, p99, RSS) and whether the run kept its promises: zero failures, RSS growth",
      "after the first round at most 5%%, p99 of every later round within twice their median."
    })
final class BenchSoakCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** wrk's threads; wrk needs a connection for each. */
  private static final int WRK_THREADS = 2;

  @Spec CommandSpec spec;

  @Option(names = "--minutes", defaultValue = "10", description = "Rounds of 60 s (default: ${DEFAULT-VALUE}).")
  int minutes;

  @Option(
      names = "--connections",
      defaultValue = "64",
      description = "wrk connections, at least " + WRK_THREADS + " (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--round-seconds", defaultValue = "60", description = "Length of a round (default: ${DEFAULT-VALUE}).")
  int roundSeconds;

  @Option(
      names = "--items",
      defaultValue = "20108",
      description = "Items of the built models, at least " + BenchData.MIN_ITEMS + " (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--users", defaultValue = "10000", description = "Synthetic users they are trained on (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--model", paramLabel = "MODEL", description = "The two bundles to alternate (give it twice).")
  List<Path> models = new ArrayList<>();

  @Option(names = "--server-option", paramLabel = "OPTION", description = "Passed to 'vaecf serve' (repeatable).")
  List<String> serverOptions = new ArrayList<>();

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  /** One round's figures. */
  record Round(int round, long requests, long failures, double p99Ms, double rssMb, int reloadStatus) {}

  @Override
  public Integer call() throws Exception {
    OptionErrors.fromOptions(spec, this::check);
    PrintWriter log = spec.commandLine().getErr();
    Path work = Files.createTempDirectory("vaecf-bench-soak");
    ServedProcess server = null;
    try {
      Path wrk = Wrk.ensureInstalled(log);
      List<Path> bundles = models.isEmpty()
          ? List.of(
              ServedProcess.buildModel(work.resolve("a"), items, users, 1L, log),
              ServedProcess.buildModel(work.resolve("b"), items, users, 2L, log))
          : models;
      List<String> ids = ModelBundle.read(bundles.get(0)).items().ids();
      List<String> bodies = ServedProcess.requestBodies(ids, 2000, 10, new SplittableRandom(20180423L));
      Path script =
          Files.writeString(
              work.resolve("requests.lua"),
              Wrk.script(Files.write(work.resolve("bodies.jsonl"), bodies, StandardCharsets.UTF_8)));
      server = ServedProcess.start(bundles.get(0), serverOptions, work.resolve("server.log"));
      double rssStartMb = server.rssKb() / 1024.0;
      List<Round> rounds = new ArrayList<>();
      for (int round = 1; round <= minutes; round++) {
        Path next = bundles.get(round % 2);
        CompletableFuture<Integer> reload = reloadHalfway(server.base(), next);
        JsonNode result = Wrk.run(wrk, script, server.base(), WRK_THREADS, connections, roundSeconds);
        int reloadStatus = reload.get(roundSeconds, TimeUnit.SECONDS);
        long failures =
            result.get("connectErrors").asLong() + result.get("readErrors").asLong()
                + result.get("writeErrors").asLong() + result.get("statusErrors").asLong()
                + result.get("timeouts").asLong();
        Round figures =
            new Round(round, result.get("requests").asLong(), failures, result.get("p99Us").asDouble() / 1e3,
                server.rssKb() / 1024.0, reloadStatus);
        rounds.add(figures);
        log.printf(Locale.ROOT, "round %d: %,d requests, %d failed, p99 %.1f ms, RSS %.0f MB, reload -> %d%n",
            round, figures.requests(), figures.failures(), figures.p99Ms(), figures.rssMb(), reloadStatus);
        log.flush();
      }
      server.stop();
      server = null;
      print(summary(rounds, rssStartMb));
      return 0;
    } finally {
      if (server != null) {
        server.kill();
      }
      ServedProcess.deleteTree(work);
    }
  }

  // before anything is built: wrk and the synthetic data would refuse some of these only after both models are built
  // (and wrk perhaps installed)
  private Void check() {
    if (minutes < 2) {
      // the first round is the warm-up, against which the later ones are judged
      throw new IllegalArgumentException("--minutes must be >= 2, got " + minutes);
    }
    if (roundSeconds < 4) {
      throw new IllegalArgumentException("--round-seconds must be >= 4, got " + roundSeconds);
    }
    if (connections < WRK_THREADS) {
      throw new IllegalArgumentException(
          "--connections must be >= " + WRK_THREADS + " (wrk runs " + WRK_THREADS + " threads, each with a connection "
              + "at least), got " + connections);
    }
    if (users < 1) {
      throw new IllegalArgumentException("--users must be >= 1, got " + users);
    }
    BenchData.checkItems(items);
    if (!models.isEmpty() && models.size() != 2) {
      throw new IllegalArgumentException("--model must be given twice (the two bundles to alternate), got "
          + models.size());
    }
    return null;
  }

  /** Swaps to {@code bundle} after half a round; completes with the HTTP status of the reload. */
  private CompletableFuture<Integer> reloadHalfway(String base, Path bundle) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(roundSeconds * 500L);
        HttpResponse<String> response =
            HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/v1/admin/reload"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("path", bundle.toAbsolutePath().toString()))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
      } catch (Exception e) {
        return -1;
      }
    });
  }

  private static Map<String, Object> summary(List<Round> rounds, double rssStartMb) {
    long requests = rounds.stream().mapToLong(Round::requests).sum();
    long failures = rounds.stream().mapToLong(Round::failures).sum();
    boolean reloadsOk = rounds.stream().allMatch(r -> r.reloadStatus() == 200);
    double baseline = rounds.get(0).rssMb();
    double last = rounds.get(rounds.size() - 1).rssMb();
    double growth = (last - baseline) / baseline;
    // the first round is the warm-up (JIT compilation, first-touch of memory): memory and p99 are judged after it
    double[] p99 = rounds.stream().skip(1).mapToDouble(Round::p99Ms).sorted().toArray();
    double median = p99[p99.length / 2];
    boolean stable = p99[p99.length - 1] <= 2 * median;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("rounds", rounds);
    figures.put("requests", requests);
    figures.put("failures", failures);
    figures.put("reloads", rounds.size());
    figures.put("reloadsSucceeded", reloadsOk);
    figures.put("rssStartMb", rssStartMb);
    figures.put("rssAfterWarmupMb", baseline);
    figures.put("rssEndMb", last);
    figures.put("rssGrowthAfterWarmup", growth);
    figures.put("p99MedianMs", median);
    figures.put("p99MaxMs", p99[p99.length - 1]);
    figures.put("ok", failures == 0 && reloadsOk && growth <= 0.05 && stable);
    return figures;
  }

  private void print(Map<String, Object> figures) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(figures));
      return;
    }
    out.printf("%-6s %12s %9s %10s %9s %7s%n", "round", "requests", "failed", "p99 ms", "RSS MB", "reload");
    @SuppressWarnings("unchecked")
    List<Round> rounds = (List<Round>) figures.get("rounds");
    for (Round r : rounds) {
      out.printf(Locale.ROOT, "%-6d %,12d %9d %10.1f %9.0f %7d%n", r.round(), r.requests(), r.failures(), r.p99Ms(),
          r.rssMb(), r.reloadStatus());
    }
    out.printf(Locale.ROOT, "total %,d requests, %d failed; RSS %.0f -> %.0f MB after the first round (%+.1f%%); "
            + "p99 median %.1f ms, max %.1f ms; %s%n",
        (long) figures.get("requests"), (long) figures.get("failures"), (double) figures.get("rssAfterWarmupMb"),
        (double) figures.get("rssEndMb"), 100 * (double) figures.get("rssGrowthAfterWarmup"),
        (double) figures.get("p99MedianMs"), (double) figures.get("p99MaxMs"),
        (boolean) figures.get("ok") ? "all promises kept" : "PROMISES BROKEN");
  }
}
