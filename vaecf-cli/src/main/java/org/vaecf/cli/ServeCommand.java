package org.vaecf.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.vaecf.server.RecommendationServer;
import org.vaecf.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaecf serve}: the HTTP JSON recommendation service over a model bundle. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serve recommendations over HTTP (JSON): fold-in, similar items, metrics, hot swap.",
    description = {
      "Serve a model bundle over HTTP: POST /v1/recommendations, POST /v1/recommendations/batch,",
      "GET /v1/items/{id}/similar, GET /v1/model, POST /v1/admin/reload, GET /health, GET /metrics,",
      "GET /openapi.json. Binds 127.0.0.1 unless --host says otherwise. SIGTERM (or Ctrl-C) drains the",
      "requests in flight, then exits."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
  Path model;

  @Option(
      names = "--host",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the service to the network).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0: any free).")
  int port;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads that share each product (default: the number of cores); OpenBLAS itself runs one.")
  Integer threads;

  @Option(
      names = "--scorers",
      paramLabel = "N",
      description = "Scoring threads, each with its own copy of the network (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int scorers;

  @Option(
      names = "--max-batch",
      defaultValue = "64",
      paramLabel = "USERS",
      description = "Most users scored by one matrix product (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--max-wait-ms",
      defaultValue = "0",
      paramLabel = "MS",
      description = "How long a request may wait for others to share its product (default: ${DEFAULT-VALUE}).")
  double maxWaitMillis;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "1048576",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--max-items",
      defaultValue = "10000",
      description = "Most ids per list of a request (default: ${DEFAULT-VALUE}).")
  int maxItems;

  @Option(names = "--max-k", defaultValue = "1000", description = "Largest k (default: ${DEFAULT-VALUE}).")
  int maxK;

  @Option(
      names = "--max-batch-users",
      defaultValue = "1000",
      description = "Most users per batch call (default: ${DEFAULT-VALUE}).")
  int maxBatchUsers;

  @Option(
      names = "--drain-seconds",
      defaultValue = "10",
      description = "On shutdown, how long requests in flight get to finish (default: ${DEFAULT-VALUE}).")
  double drainSeconds;

  @Option(
      names = "--idle-seconds",
      defaultValue = "10",
      description = "Close a connection silent this long: stalled or very slow clients (default: ${DEFAULT-VALUE}).")
  double idleSeconds;

  /** The server configuration the options describe. */
  ServerConfig config() {
    ServerConfig.Builder builder =
        ServerConfig.builder(model)
            .host(host)
            .port(port)
            .scorers(scorers)
            .maxBatch(maxBatch)
            .maxWait(duration("--max-wait-ms", maxWaitMillis, 1e-3))
            .limits(new ServerConfig.Limits(maxBodyBytes, maxItems, maxK, maxBatchUsers))
            .drainTimeout(duration("--drain-seconds", drainSeconds))
            .idleTimeout(duration("--idle-seconds", idleSeconds));
    if (threads != null) {
      builder.threads(threads);
    }
    return builder.build();
  }

  private static Duration duration(String option, double seconds) {
    return duration(option, seconds, 1.0);
  }

  /** {@code value} of the option's own unit ({@code secondsPerUnit} seconds each), checked in that unit. */
  private static Duration duration(String option, double value, double secondsPerUnit) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be >= 0, got " + value);
    }
    return Duration.ofNanos(Math.round(value * secondsPerUnit * 1e9));
  }

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig config = OptionErrors.fromOptions(spec, this::config);
    RecommendationServer server = RecommendationServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      stopped.countDown();
    }, "vaecf-shutdown"));
    spec.commandLine().getOut().printf(
        "serving model %s on http://%s:%d (SIGTERM or Ctrl-C drains and stops)%n", server.modelId(), config.host(),
        server.port());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
