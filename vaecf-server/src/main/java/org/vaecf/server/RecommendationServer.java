package org.vaecf.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.infer.BatchObserver;
import org.vaecf.infer.RecommenderFailedException;
import org.vaecf.infer.RecommenderSettings;
import org.vaecf.linalg.Blas;

/**
 * The recommendation service: loads a model bundle, binds an HTTP port and answers the routes of {@link #routes()},
 * documented in {@code /openapi.json}. Every answer is JSON (except {@code /metrics}); every refusal is a 4xx whose
 * {@code error} field says what to change.
 *
 * <p>{@link #stop()} drains: new requests get 503, requests in flight finish (up to the configured time), then the
 * port closes and the model is released.
 *
 * <p>A model whose scoring has failed for good ({@link org.vaecf.infer.Recommender#failure()}, an
 * {@link OutOfMemoryError} on its scoring thread, say) is answered with 503 on the recommendation routes, and
 * {@code /health} answers 503 {@code failed} with the cause, so that a load balancer stops sending traffic and an
 * operator or orchestrator acts; a reload (or a restart) serves again.
 */
public final class RecommendationServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecommendationServer.class);
  private static final String OPENAPI_RESOURCE = "openapi.json";
  /** Request attribute marking a request that reached one of our routes. */
  private static final String ROUTED = "vaecf.routed";
  /** Threads of the HTTP pool (fixed). */
  private static final int HTTP_THREADS = 136;

  private final ServerConfig config;
  private final Metrics metrics = new Metrics();
  private final ModelSlot slot;
  private final List<Route> routes;
  private final byte[] openApi;
  private final Javalin app;
  private volatile boolean draining;
  private boolean stopped;

  private RecommendationServer(ServerConfig config, BatchObserver scoringObserver) {
    this.config = config;
    // OpenBLAS on one thread: the products are split over the recommender's own threads (see ServerConfig.threads)
    Blas.setThreads(1);
    RecommenderSettings settings =
        RecommenderSettings.defaults()
            .withThreads(config.threads())
            .withScorers(config.scorers())
            .withMaxBatch(config.maxBatch())
            .withMaxWait(config.maxWait())
            .withObserver(
                scoringObserver == BatchObserver.NONE
                    ? metrics
                    : (users, nanos) -> {
                      metrics.batchScored(users, nanos);
                      scoringObserver.batchScored(users, nanos);
                    });
    this.slot = new ModelSlot(config.modelDir(), settings);
    this.openApi = readOpenApi();
    RequestParser parser = new RequestParser(config.limits());
    RecommendationEndpoints recommendations = new RecommendationEndpoints(slot, parser);
    ItemEndpoints itemEndpoints = new ItemEndpoints(slot, parser);
    ModelEndpoints modelEndpoints = new ModelEndpoints(slot, parser, metrics);
    this.routes =
        List.of(
            new Route(HandlerType.POST, "/v1/recommendations", recommendations::recommend),
            new Route(HandlerType.POST, "/v1/recommendations/batch", recommendations::recommendBatch),
            new Route(HandlerType.GET, "/v1/items/{id}/similar", itemEndpoints::similar),
            new Route(HandlerType.GET, "/v1/model", modelEndpoints::describe),
            new Route(HandlerType.POST, "/v1/admin/reload", modelEndpoints::reload),
            new Route(HandlerType.GET, "/health", this::health),
            new Route(HandlerType.GET, "/metrics", this::metrics),
            new Route(HandlerType.GET, "/openapi.json", this::openApi));
    this.app =
        Javalin.create(
            javalin -> {
              // A fixed set of HTTP threads: Jetty's default pool grows to one thread per waiting request (a
              // request waits for its micro-batch) and retires idle ones after a minute, and every new thread leaves
              // native memory behind (stack, malloc arena): under 64 connections the service grew by 10 MB a minute
              // with 87 pool threads coming and going (measured in the soak benchmark with native memory tracking).
              javalin.jetty.threadPool = httpThreads();
              javalin.showJavalinBanner = false;
              javalin.startupWatcherEnabled = false;
              javalin.http.prefer405over404 = true;
              // bodies are read by BodyReader against our own limit, which answers in JSON
              javalin.http.maxRequestSize = Long.MAX_VALUE;
              // requests Jetty refuses before any route (a broken escape in the path) are answered in JSON too
              javalin.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            });
    for (Route route : routes) {
      app.addHttpHandler(route.method(), route.path(), instrumented(route));
    }
    app.error(404, ctx -> unanswered(ctx, 404, "no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json"));
    app.error(405, ctx -> unanswered(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
  }

  /** HTTP threads, all started at once and kept: enough for 128 requests in flight, beyond which requests queue. */
  private static QueuedThreadPool httpThreads() {
    QueuedThreadPool pool = new QueuedThreadPool(HTTP_THREADS, HTTP_THREADS);
    pool.setName("vaecf-http");
    return pool;
  }

  /**
   * Loads the bundle of {@code config} and starts listening.
   *
   * @throws org.vaecf.io.BundleException if the bundle cannot be loaded
   * @throws IllegalStateException if the port cannot be bound
   */
  public static RecommendationServer start(ServerConfig config) {
    return start(config, BatchObserver.NONE);
  }

  /**
   * Like {@link #start(ServerConfig)}, with {@code scoringObserver} told about every product beside the metrics: for
   * tests that need to see, or to break, the scoring thread.
   */
  static RecommendationServer start(ServerConfig config, BatchObserver scoringObserver) {
    RecommendationServer server = new RecommendationServer(config, scoringObserver);
    try {
      server.app.start(config.host(), config.port());
      // A silent connection (a stalled or very slow client) is closed after the idle timeout. Until then it costs a
      // socket, not a thread: Jetty waits for headers without one, and bodies are read without blocking (BodyReader).
      for (Connector connector : server.app.jettyServer().server().getConnectors()) {
        if (connector instanceof AbstractConnector withTimeout) {
          withTimeout.setIdleTimeout(config.idleTimeout().toMillis());
        }
      }
    } catch (RuntimeException e) {
      server.slot.close();
      throw new IllegalStateException(
          "could not listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e), e);
    }
    LOG.info("serving model {} ({} items) on http://{}:{}", server.slot.peek().id(),
        server.slot.peek().model().items().size(), config.host(), server.port());
    return server;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The bound port (the chosen one when the configuration asked for 0). */
  public int port() {
    return app.port();
  }

  /** Requests being handled now (for tests that stop the service under a request). */
  int inFlight() {
    return metrics.inFlight().get();
  }

  /** The id of the bundle serving now. */
  public String modelId() {
    return slot.peek().id();
  }

  /** The route table, in the order of the OpenAPI document. */
  List<Route> routes() {
    return routes;
  }

  /**
   * The route's handler with metrics and our error answers around it. A route that takes a body (POST) reads it
   * without holding a thread ({@link BodyReader}) and runs the handler once the whole body is in; the others run at
   * once.
   */
  private Handler instrumented(Route route) {
    boolean readsBody = route.method() == HandlerType.POST;
    boolean alwaysOpen = route.path().equals("/health") || route.path().equals("/metrics");
    return ctx -> {
      ctx.attribute(ROUTED, Boolean.TRUE);
      long started = System.nanoTime();
      metrics.inFlight().incrementAndGet();
      if (readsBody && !draining) {
        ctx.future(
            () -> BodyReader.read(ctx.req(), config.limits().maxBodyBytes())
                .handle(
                    (body, failure) -> {
                      try {
                        answer(ctx, route, alwaysOpen, body, failure);
                      } finally {
                        finished(ctx, route, started);
                      }
                      return null;
                    }));
      } else {
        try {
          answer(ctx, route, alwaysOpen, null, null);
        } finally {
          finished(ctx, route, started);
        }
      }
    };
  }

  /**
   * Runs the handler of {@code route} on {@code body} (null: none read), answering refusals and faults in JSON;
   * {@code alwaysOpen} routes answer while the service drains.
   */
  private void answer(Context ctx, Route route, boolean alwaysOpen, byte[] body, Throwable bodyFailure) {
    try {
      if (draining && !alwaysOpen) {
        throw new ApiException(503, "the service is shutting down");
      }
      if (bodyFailure != null) {
        Throwable cause = bodyFailure instanceof CompletionException && bodyFailure.getCause() != null
            ? bodyFailure.getCause()
            : bodyFailure;
        throw cause instanceof ApiException refusal ? refusal : new IllegalStateException("reading the body", cause);
      }
      if (body != null) {
        ctx.attribute(Json.BODY, body);
      }
      route.handler().handle(ctx);
    } catch (ApiException e) {
      Json.error(ctx, e.status(), e.getMessage(), e.unknownItems());
    } catch (RecommenderFailedException e) {
      // not logged per request: the recommender logged the cause, with its stack trace, when it failed
      Json.error(ctx, 503, "the model cannot recommend until it is reloaded (POST /v1/admin/reload) or the service"
          + " restarts: " + e.getMessage(), List.of());
    } catch (Exception e) {
      LOG.error("{} {} failed", route.method().name(), ctx.path(), e);
      Json.error(ctx, 500, "internal error: " + e.getMessage(), List.of());
    }
  }

  private void finished(Context ctx, Route route, long started) {
    metrics.inFlight().decrementAndGet();
    metrics.request(route.method().name(), route.path(), ctx.statusCode(), System.nanoTime() - started);
  }

  /** Javalin's own 404/405 answers in our JSON shape; a route's own 404 (an unknown item) is left as it is. */
  private static void unanswered(Context ctx, int status, String message) {
    if (ctx.attribute(ROUTED) == null) {
      Json.error(ctx, status, message, List.of());
    }
  }

  /** 200 {@code ok}; 503 {@code draining} while stopping, or {@code failed} with the cause once scoring failed. */
  private void health(Context ctx) {
    ServingModel serving = slot.peek();
    Optional<Throwable> failure = serving.recommender().failure();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", draining ? "draining" : failure.isPresent() ? "failed" : "ok");
    body.put("model", serving.id());
    if (!draining && failure.isPresent()) {
      body.put("error", "scoring failed with " + failure.get() + "; reload the model (POST /v1/admin/reload) or"
          + " restart the service");
    }
    Json.write(ctx, draining || failure.isPresent() ? 503 : 200, body);
  }

  private void metrics(Context ctx) {
    ServingModel serving = slot.peek();
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.render(serving.id(), serving.model().items().size()));
  }

  private void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }

  private static byte[] readOpenApi() {
    try (InputStream in = RecommendationServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Drains and stops: new requests are refused with 503 and {@code /health} reports {@code draining}; requests in
   * flight get up to the configured drain time to finish; then the port closes and the model is released.
   * Idempotent.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    draining = true;
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (metrics.inFlight().get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = metrics.inFlight().get();
    if (left > 0) {
      LOG.warn("stopping with {} requests still in flight after {}", left, config.drainTimeout());
    }
    app.stop();
    slot.close();
    LOG.info("stopped");
  }

  @Override
  public void close() {
    stop();
  }
}
