package org.vaecf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.TrainedModel;

/**
 * {@code vaecf serve} in its own JVM for the service benchmarks: a model to serve, request bodies of real-sized
 * histories, starting, health, resident memory, stopping.
 */
final class ServedProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final String base;
  private final Path log;

  private ServedProcess(Process process, String base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts {@code vaecf serve --model bundle} on a free loopback port with this JVM's options (the launcher's
   * {@code --add-modules} for the SIMD kernels, say) and waits until it answers {@code /health}.
   */
  static ServedProcess start(Path bundle, List<String> serverOptions, Path serverLog) throws Exception {
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(ServeHeap.jvmOptions(bundle)); // as ./vaecf serve runs it; this JVM's own options may override
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"), VaecfCommand.class.getName(), "serve",
        "--model", bundle.toString(), "--port", Integer.toString(port)));
    command.addAll(serverOptions);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(serverLog.toFile());
    // idle OpenBLAS threads otherwise spin after each product, taking the cores from the HTTP threads and from wrk
    builder.environment().putIfAbsent("OPENBLAS_THREAD_TIMEOUT", "4");
    ServedProcess served = new ServedProcess(builder.start(), "http://127.0.0.1:" + port, serverLog);
    try {
      served.awaitHealthy();
    } catch (Exception e) {
      served.process.destroyForcibly();
      throw e;
    }
    return served;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  String base() {
    return base;
  }

  /** The server's process id. */
  long pid() {
    return process.pid();
  }

  private void awaitHealthy() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited before answering: " + tail(log));
      }
      try {
        HttpResponse<String> health =
            http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the server did not answer /health within 180 s: " + tail(log));
  }

  /** Resident memory of the server process in kB ({@code VmRSS}). */
  long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + process.pid());
  }

  /** SIGTERM, then wait for the drain (forcibly after 30 s). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** Kills the process if it still runs (for finally blocks). */
  void kill() {
    process.destroyForcibly();
  }

  /** Builds a Mult-VAE of {@code items} items: one epoch on synthetic users, written to {@code dir}. */
  static Path buildModel(Path dir, int items, int users, long seed, PrintWriter log) {
    log.printf("building a %,d-item Mult-VAE: one epoch on %,d synthetic users…%n", items, users);
    log.flush();
    long started = System.nanoTime();
    TrainedModel trained = BenchData.briefModel(BenchData.prepared(users, items, seed), 2);
    ModelBundle.write(trained, dir);
    log.printf("model built in %.0f s%n", (System.nanoTime() - started) / 1e9);
    return dir;
  }

  /**
   * Request bodies whose history sizes are log-uniform in [5, 500] (median 50, like the bulk of ML-20M's users, with
   * a tail of heavy users), items drawn uniformly without repeats.
   */
  static List<String> requestBodies(List<String> ids, int count, int k, SplittableRandom random) throws IOException {
    List<String> bodies = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      int size = (int) Math.round(Math.exp(Math.log(5) + random.nextDouble() * (Math.log(500) - Math.log(5))));
      int[] chosen = random.ints(0, ids.size()).distinct().limit(Math.min(size, ids.size())).toArray();
      List<String> history = new ArrayList<>(chosen.length);
      for (int item : chosen) {
        history.add(ids.get(item));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", history);
      body.put("k", k);
      bodies.add(JSON.writeValueAsString(body));
    }
    return bodies;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  /** Deletes {@code dir} and everything below it. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
