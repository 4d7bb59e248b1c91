package org.vaecf.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.io.BundleException;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;

/** {@code GET /v1/model} (what is served) and {@code POST /v1/admin/reload} (hot swap of the bundle). */
final class ModelEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(ModelEndpoints.class);

  private final ModelSlot slot;
  private final RequestParser parser;
  private final Metrics metrics;

  ModelEndpoints(ModelSlot slot, RequestParser parser, Metrics metrics) {
    this.slot = slot;
    this.parser = parser;
    this.metrics = metrics;
  }

  /** The bundle id and path, the architecture, the item count, and the training record without its history. */
  void describe(Context ctx) {
    Json.write(ctx, 200, metadata(slot.peek()));
  }

  static Map<String, Object> metadata(ServingModel serving) {
    TrainedModel model = serving.model();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", serving.id());
    body.put("path", serving.path().toString());
    body.put("loadedAt", serving.loadedAt().toString());
    Map<String, Object> architecture = new LinkedHashMap<>();
    architecture.put("type", model.config().type().cliName());
    architecture.put("hiddenDims", model.config().hiddenDims());
    architecture.put("latentDim", model.config().latentDim());
    architecture.put("dropout", model.config().dropout());
    body.put("config", architecture);
    body.put("items", model.items().size());
    TrainingRecord record = model.training();
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("seed", record.seed());
    training.put("settings", record.settings());
    training.put("data", record.dataStats());
    training.put("validationMetric", record.validationMetric());
    training.put("bestEpoch", record.bestEpoch());
    training.put("bestValidation", Double.isFinite(record.bestValidation()) ? record.bestValidation() : null);
    training.put("epochs", record.history().size());
    training.put("createdAt", record.createdAt());
    training.put("version", record.version());
    body.put("training", training);
    return body;
  }

  /**
   * Loads a bundle next to the served one and switches to it: {@code {"path": "DIR"}}, or an empty body to reload
   * the bundle served now from its path. A bundle that cannot be loaded is answered with 422 and changes nothing.
   */
  void reload(Context ctx) {
    byte[] bytes = Json.body(ctx);
    Path path = slot.peek().path();
    if (bytes.length > 0) {
      JsonNode body = parser.object(bytes);
      for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("path")) {
          throw ApiException.badRequest("unknown field '" + name + "'; expected path");
        }
      }
      JsonNode given = body.get("path");
      if (given != null) {
        if (!given.isTextual() || given.textValue().isBlank()) {
          throw ApiException.badRequest("path must be a non-empty string (a model bundle directory)");
        }
        path = bundlePath(given.textValue());
      }
    }
    String before = slot.peek().id();
    ModelSlot.Swap swap;
    try {
      swap = slot.swap(path);
    } catch (BundleException | IllegalArgumentException e) {
      metrics.reload(false);
      LOG.warn("reload refused, still serving {}: {}", before, e.getMessage());
      throw new ApiException(422, "could not load the bundle, still serving " + before + ": " + e.getMessage());
    }
    metrics.reload(true);
    LOG.info("now serving {} from {} (was {}, loaded in {} s)", swap.now().id(), path, swap.previousId(),
        String.format(java.util.Locale.ROOT, "%.2f", swap.seconds()));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("model", swap.now().id());
    answer.put("previous", swap.previousId());
    answer.put("path", path.toString());
    answer.put("seconds", swap.seconds());
    Json.write(ctx, 200, answer);
  }

  /**
   * The client's {@code path} as a path of this server's file system. A string the file system cannot name (one
   * holding a NUL character, say) is the client's mistake: refused here with 400, where the
   * {@link InvalidPathException} of {@link Path#of} would otherwise be answered as a server fault (500).
   */
  private static Path bundlePath(String given) {
    try {
      return Path.of(given);
    } catch (InvalidPathException e) {
      String where = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
      throw ApiException.badRequest(
          "path is not a valid path on this server (" + e.getReason() + where + "); expected a model bundle directory");
    }
  }
}
