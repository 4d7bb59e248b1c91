package org.vaecf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.vaecf.io.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaecf bench serve}: the HTTP service under load. Builds (or takes) a model of ML-20M's catalogue size, starts
 * {@code vaecf serve} in its own JVM, and drives it with {@code wrk} using a mix of real-sized histories (5–500
 * items, log-uniform, median 50). Reports throughput, latency percentiles, errors, the server's resident memory before
 * and after, and the latency of one request at a time.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Load-test the HTTP service with wrk on a model of ML-20M's size.",
    description = {
      "Build a 20,108-item Mult-VAE (one epoch on synthetic data of ML-20M's shape) or take --model, start",
      "'vaecf serve' in its own JVM, measure one request at a time, then drive it with wrk (installed with apt-get",
      "when missing) over --connections connections for --seconds, with histories of 5-500 items."
    })
final class BenchServeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--items",
      defaultValue = "20108",
      description = "Items of the built model, at least " + BenchData.MIN_ITEMS + " (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--users", defaultValue = "10000", description = "Synthetic users it is trained on (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(names = "--model", paramLabel = "MODEL", description = "Serve this bundle instead of building one.")
  Path model;

  @Option(names = "--connections", defaultValue = "32", description = "wrk connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--seconds", defaultValue = "30", description = "Length of the measured run (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "15",
      description =
          "Load before measuring, so that the steady state is measured: under this load the JIT is still compiling "
              + "(about 5,400 methods) between 5 and 15 s after the start; 0 for none (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--wrk-threads",
      defaultValue = "2",
      description = "wrk threads, at most --connections (default: ${DEFAULT-VALUE}).")
  int wrkThreads;

  @Option(names = "--single-requests", defaultValue = "300", description = "Requests timed one at a time (default: ${DEFAULT-VALUE}).")
  int singleRequests;

  @Option(names = "--k", defaultValue = "10", description = "k of every request (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--server-option", paramLabel = "OPTION", description = "Passed to 'vaecf serve' (repeatable), e.g. --server-option=--max-wait-ms=1")
  List<String> serverOptions = new ArrayList<>();

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    OptionErrors.fromOptions(spec, this::check);
    PrintWriter log = spec.commandLine().getErr();
    Path work = Files.createTempDirectory("vaecf-bench-serve");
    ServedProcess server = null;
    try {
      Path wrk = Wrk.ensureInstalled(log);
      Path bundle =
          model != null ? model : ServedProcess.buildModel(work.resolve("model"), items, users, 20180423L, log);
      List<String> ids = ModelBundle.read(bundle).items().ids();
      List<String> bodies = ServedProcess.requestBodies(ids, 2000, k, new SplittableRandom(20180423L));
      Path bodiesFile = Files.write(work.resolve("bodies.jsonl"), bodies, StandardCharsets.UTF_8);
      Path script = Files.writeString(work.resolve("requests.lua"), Wrk.script(bodiesFile));

      server = ServedProcess.start(bundle, serverOptions, work.resolve("server.log"));
      String base = server.base();
      long rssBefore = server.rssKb();

      if (warmupSeconds > 0) { // wrk refuses a run of 0 s
        log.printf("warming up for %d s…%n", warmupSeconds);
        log.flush();
        Wrk.run(wrk, script, base, wrkThreads, connections, warmupSeconds);
      }
      double singleP50 = singleRequestP50Millis(base, bodies);
      log.printf("measuring: wrk, %d connections, %d s…%n", connections, seconds);
      log.flush();
      CpuAccount cpu = CpuAccount.start(server.pid());
      JsonNode result = Wrk.run(wrk, script, base, wrkThreads, connections, seconds);
      CpuAccount.Shares shares = cpu.stop();
      long rssAfter = server.rssKb();

      double durationSeconds = result.get("durationUs").asDouble() / 1e6;
      long errors = result.get("connectErrors").asLong() + result.get("readErrors").asLong()
          + result.get("writeErrors").asLong() + result.get("statusErrors").asLong() + result.get("timeouts").asLong();
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("requestsPerSecond", result.get("requests").asLong() / durationSeconds);
      figures.put("p50Ms", result.get("p50Us").asDouble() / 1e3);
      figures.put("p99Ms", result.get("p99Us").asDouble() / 1e3);
      figures.put("p999Ms", result.get("p999Us").asDouble() / 1e3);
      figures.put("errors", errors);
      figures.put("rssBeforeMb", rssBefore / 1024.0);
      figures.put("rssAfterMb", rssAfter / 1024.0);
      figures.put("singleP50Ms", singleP50);
      figures.put("requests", result.get("requests").asLong());
      figures.put("seconds", durationSeconds);
      figures.put("connections", connections);
      figures.put("items", ids.size());
      figures.put("cores", Runtime.getRuntime().availableProcessors());
      figures.put("serverCpuCores", shares.server());
      figures.put("wrkCpuCores", shares.children());
      figures.put("otherProcessesCpuCores", shares.others());
      figures.put("serverCpuMsPerRequest", shares.server() * durationSeconds * 1e3 / result.get("requests").asLong());
      server.stop();
      server = null;
      print(figures);
      return 0;
    } finally {
      if (server != null) {
        server.kill();
      }
      ServedProcess.deleteTree(work);
    }
  }

  // before anything is built: wrk and the synthetic data would refuse some of these only after the model is built
  // (and wrk perhaps installed)
  private Void check() {
    String[] names = {"--users", "--connections", "--seconds", "--wrk-threads", "--k", "--single-requests"};
    int[] values = {users, connections, seconds, wrkThreads, k, singleRequests};
    for (int o = 0; o < names.length; o++) {
      if (values[o] <= 0) {
        throw new IllegalArgumentException(names[o] + " must be > 0, got " + values[o]);
      }
    }
    BenchData.checkItems(items);
    if (warmupSeconds < 0) {
      throw new IllegalArgumentException("--warmup-seconds must be >= 0 (0 for no warm-up), got " + warmupSeconds);
    }
    if (connections < wrkThreads) {
      throw new IllegalArgumentException(
          "--connections must be >= --wrk-threads (wrk gives each of its threads a connection at least), got "
              + connections + " connections and " + wrkThreads + " threads");
    }
    return null;
  }

  /** Median latency of requests sent one at a time over one kept-alive connection. */
  private double singleRequestP50Millis(String base, List<String> bodies) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(base + "/v1/recommendations");
    int warm = 50;
    double[] millis = new double[singleRequests];
    for (int r = 0; r < warm + singleRequests; r++) {
      HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(bodies.get(r % bodies.size()))).build();
      long started = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long elapsed = System.nanoTime() - started;
      if (response.statusCode() != 200) {
        throw new IllegalStateException("a single request failed with " + response.statusCode() + ": " + response.body());
      }
      if (r >= warm) {
        millis[r - warm] = elapsed / 1e6;
      }
    }
    Arrays.sort(millis);
    return millis[millis.length / 2];
  }

  private void print(Map<String, Object> figures) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(figures));
      return;
    }
    out.printf(Locale.ROOT, "%-28s %s%n", "model items", figures.get("items"));
    out.printf(Locale.ROOT, "%-28s %d connections, %.0f s, %,d requests%n", "load (wrk)", connections,
        (double) figures.get("seconds"), (long) figures.get("requests"));
    out.printf(Locale.ROOT, "%-28s %,.0f%n", "requests/s", (double) figures.get("requestsPerSecond"));
    out.printf(Locale.ROOT, "%-28s p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%n", "latency under load",
        (double) figures.get("p50Ms"), (double) figures.get("p99Ms"), (double) figures.get("p999Ms"));
    out.printf(Locale.ROOT, "%-28s %d%n", "errors", (long) figures.get("errors"));
    out.printf(Locale.ROOT, "%-28s %.0f MB before, %.0f MB after%n", "server RSS",
        (double) figures.get("rssBeforeMb"), (double) figures.get("rssAfterMb"));
    out.printf(Locale.ROOT, "%-28s p50 %.2f ms%n", "one request at a time", (double) figures.get("singleP50Ms"));
    out.printf(Locale.ROOT, "%-28s server %.2f, wrk %.2f, other processes %.2f (%.2f ms of server CPU per request)%n",
        "cores busy during the run", (double) figures.get("serverCpuCores"), (double) figures.get("wrkCpuCores"),
        (double) figures.get("otherProcessesCpuCores"), (double) figures.get("serverCpuMsPerRequest"));
  }
}
