package org.vaecf.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.vaecf.infer.BatchObserver;

/**
 * The service's counters, rendered in the Prometheus text exposition format (version 0.0.4) at {@code /metrics}:
 * requests by route, method and status; request latency per route; the size and duration of every matrix product
 * the micro-batcher ran; requests in flight; model reloads; and which model is served.
 */
final class Metrics implements BatchObserver {
  private static final double[] LATENCY_SECONDS = {
    0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
  };
  private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Histogram batchSize = new Histogram(BATCH_SIZES);
  private final Histogram batchSeconds = new Histogram(LATENCY_SECONDS);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder reloadsSucceeded = new LongAdder();
  private final LongAdder reloadsFailed = new LongAdder();

  /** Counts one answered request. */
  void request(String method, String route, int status, long nanos) {
    String labels = "method=\"" + method + "\",route=\"" + escape(route) + "\",status=\"" + status + "\"";
    requests.computeIfAbsent(labels, key -> new LongAdder()).increment();
    latency.computeIfAbsent(route, key -> new Histogram(LATENCY_SECONDS)).observe(nanos / 1e9);
  }

  /** Requests being handled now; incremented and decremented by the server. */
  AtomicInteger inFlight() {
    return inFlight;
  }

  void reload(boolean succeeded) {
    (succeeded ? reloadsSucceeded : reloadsFailed).increment();
  }

  @Override
  public void batchScored(int users, long nanos) {
    batchSize.observe(users);
    batchSeconds.observe(nanos / 1e9);
  }

  /** The exposition text; {@code modelId} and {@code items} describe the model serving now. */
  String render(String modelId, int items) {
    StringBuilder out = new StringBuilder(4096);
    header(out, "vaecf_http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
    requests.forEach((labels, count) ->
        out.append("vaecf_http_requests_total{").append(labels).append("} ").append(count.sum()).append('\n'));
    header(out, "vaecf_http_request_duration_seconds", "histogram",
        "Time to answer a request, from routing to the written response, by route.");
    new java.util.TreeMap<>(latency).forEach((route, histogram) ->
        histogram.render(out, "vaecf_http_request_duration_seconds", "route=\"" + escape(route) + "\","));
    header(out, "vaecf_batch_size", "histogram", "Users scored by one matrix product of the micro-batcher.");
    batchSize.render(out, "vaecf_batch_size", "");
    header(out, "vaecf_batch_duration_seconds", "histogram",
        "Time of one micro-batch: fold-in products for all its users and the copy of their logit rows.");
    batchSeconds.render(out, "vaecf_batch_duration_seconds", "");
    header(out, "vaecf_inflight_requests", "gauge", "Requests being handled now.");
    out.append("vaecf_inflight_requests ").append(inFlight.get()).append('\n');
    header(out, "vaecf_model_reloads_total", "counter", "Hot swaps of the model bundle, by result.");
    out.append("vaecf_model_reloads_total{result=\"success\"} ").append(reloadsSucceeded.sum()).append('\n');
    out.append("vaecf_model_reloads_total{result=\"failure\"} ").append(reloadsFailed.sum()).append('\n');
    header(out, "vaecf_model_info", "gauge", "The model bundle being served (value 1).");
    out.append("vaecf_model_info{id=\"").append(escape(modelId)).append("\",items=\"").append(items)
        .append("\"} 1\n");
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
