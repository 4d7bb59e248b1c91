package org.vaecf.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the service needs to start: where the bundle is, where to listen, how requests are batched, and the
 * input limits. Immutable and validated; build it with {@link #builder(Path)}.
 *
 * @param modelDir the model bundle served at start (and reloaded by default)
 * @param host address to bind; {@code 127.0.0.1} unless told otherwise, so the service is not exposed by accident
 * @param port TCP port; 0 picks a free one
 * @param threads threads that share each product and the first layer's sums (OpenBLAS itself runs one; see
 *     {@link Builder#threads})
 * @param scorers scoring threads, each with its own copy of the network
 * @param maxBatch most users scored by one matrix product
 * @param maxWait how long the scoring thread waits for more users once one arrived
 * @param limits input limits
 * @param drainTimeout on shutdown, how long in-flight requests get to finish
 * @param idleTimeout how long a connection may stay silent (a stalled or very slow client) before it is closed
 */
public record ServerConfig(
    Path modelDir,
    String host,
    int port,
    int threads,
    int scorers,
    int maxBatch,
    Duration maxWait,
    Limits limits,
    Duration drainTimeout,
    Duration idleTimeout) {
  /** Default bind address: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port. */
  public static final int DEFAULT_PORT = 8080;

  /**
   * Input limits; a request beyond one is answered with a 4xx naming the limit.
   *
   * @param maxBodyBytes largest request body
   * @param maxItems most ids in one list of a request (history, exclude or candidates)
   * @param maxK largest {@code k}
   * @param maxBatchUsers most users in one batch call
   */
  public record Limits(int maxBodyBytes, int maxItems, int maxK, int maxBatchUsers) {
    public Limits {
      positive("maxBodyBytes", maxBodyBytes);
      positive("maxItems", maxItems);
      positive("maxK", maxK);
      positive("maxBatchUsers", maxBatchUsers);
    }

    /** 1 MiB bodies, 10,000 ids per list, k up to 1,000, 1,000 users per batch call. */
    public static Limits defaults() {
      return new Limits(1 << 20, 10_000, 1_000, 1_000);
    }
  }

  public ServerConfig {
    Objects.requireNonNull(modelDir, "modelDir");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    positive("threads", threads);
    positive("scorers", scorers);
    positive("maxBatch", maxBatch);
    if (maxWait == null || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must be >= 0, got " + maxWait);
    }
    Objects.requireNonNull(limits, "limits");
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be > 0, got " + idleTimeout);
    }
    if (drainTimeout == null || drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must be >= 0, got " + drainTimeout);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  /** A builder with the defaults for serving {@code modelDir}. */
  public static Builder builder(Path modelDir) {
    return new Builder(modelDir);
  }

  /** Builds a {@link ServerConfig}; every setter is optional. */
  public static final class Builder {
    private final Path modelDir;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int scorers = 1;
    private int maxBatch = 64;
    private Duration maxWait = Duration.ZERO;
    private Limits limits = Limits.defaults();
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(10);

    private Builder(Path modelDir) {
      this.modelDir = modelDir;
    }

    /** Address to bind. Default {@value #DEFAULT_HOST}. */
    public Builder host(String value) {
      host = value;
      return this;
    }

    /** Port; 0 for any free one. Default {@value #DEFAULT_PORT}. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /**
     * Threads that share each product. Default: the number of cores. The service runs OpenBLAS on one thread and splits
     * the output product into blocks of items handed out to these threads one at a time, so that a thread the
     * operating system deschedules (the HTTP threads and any load generator share the cores) delays one block rather
     * than half the product. Measured with {@code bench serve} on a 2-core machine, wrk on the same cores: 2,941–3,023
     * requests/s with p99 23.6–23.8 ms; OpenBLAS's own two threads gave 2,362–2,724/s with p99 39–46 ms, one thread
     * alone 1,901/s with p99 26.9 ms.
     */
    public Builder threads(int value) {
      threads = value;
      return this;
    }

    /** Scoring threads, each with its own network. Default 1. */
    public Builder scorers(int value) {
      scorers = value;
      return this;
    }

    /** Most users per product. Default 64: twice the connections of the load benchmark. */
    public Builder maxBatch(int value) {
      maxBatch = value;
      return this;
    }

    /** Wait for company once a request arrived. Default 0 (batches form while the previous product runs). */
    public Builder maxWait(Duration value) {
      maxWait = value;
      return this;
    }

    /** Input limits. Default {@link Limits#defaults()}. */
    public Builder limits(Limits value) {
      limits = value;
      return this;
    }

    /** Time in-flight requests get on shutdown. Default 10 s. */
    public Builder drainTimeout(Duration value) {
      drainTimeout = value;
      return this;
    }

    /** How long a connection may stay silent before it is closed. Default 10 s. */
    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public ServerConfig build() {
      return new ServerConfig(
          modelDir, host, port, threads, scorers, maxBatch, maxWait, limits, drainTimeout, idleTimeout);
    }
  }
}
