package org.vaecf.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.vaecf.spark.score.IdType;
import scala.collection.Iterator;

/**
 * The metadata of a saved {@link MultVaeModel}: one line of JSON holding Spark's usual fields ({@code class},
 * {@code timestamp}, {@code sparkVersion}, {@code uid}, {@code paramMap}, {@code defaultParamMap}, each param as it
 * JSON-encodes itself), so that Spark's own loaders (a saved {@code PipelineModel}) can tell which class to load, and
 * vaecf's: format name and version, vaecf version, the id types and the {@link MultVaeSummary}. A newer format
 * version or another format is refused with a message that names it.
 */
final class ModelMetadata {
  /** The value of the {@code format} field. */
  static final String FORMAT = "vaecf-spark-model";
  /** The version this code writes and the newest it reads. */
  static final int VERSION = 1;

  // One line: Spark reads the first line of the metadata file.
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelMetadata() {}

  /** The metadata of {@code model} as JSON text. */
  static String write(MultVaeModel model, String sparkVersion) {
    ObjectNode root = JSON.createObjectNode();
    root.put("class", MultVaeModel.class.getName());
    root.put("timestamp", System.currentTimeMillis());
    root.put("sparkVersion", sparkVersion);
    root.put("uid", model.uid());
    root.put("format", FORMAT);
    root.put("formatVersion", VERSION);
    String vaecf = MultVaeModel.class.getPackage().getImplementationVersion();
    root.put("vaecfVersion", vaecf == null ? "dev" : vaecf);
    root.put("userIdType", model.userIdType().persistedName());
    root.put("itemIdType", model.itemIdType().persistedName());
    root.set("paramMap", params(model.extractParamMap().toSeq().iterator(), model, true));
    root.set("defaultParamMap", params(model.extractParamMap().toSeq().iterator(), model, false));
    root.set("summary", JSON.valueToTree(model.summary()));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the model metadata: " + e.getMessage(), e);
    }
  }

  private static ObjectNode params(Iterator<ParamPair<?>> pairs, MultVaeModel model, boolean explicit) {
    ObjectNode node = JSON.createObjectNode();
    while (pairs.hasNext()) {
      ParamPair<?> pair = pairs.next();
      if (model.isSet(pair.param()) == explicit) {
        node.set(pair.param().name(), parse(encode(pair)));
      }
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static <T> String encode(ParamPair<T> pair) {
    return pair.param().jsonEncode(pair.value());
  }

  /** What a saved model's metadata says. */
  record Contents(String uid, IdType userType, IdType itemType, Map<String, JsonNode> params,
      MultVaeSummary summary) {

    /** Sets the saved params on {@code model}, each decoded by its own param. */
    void applyParams(MultVaeModel model) {
      for (Map.Entry<String, JsonNode> entry : params.entrySet()) {
        if (!model.hasParam(entry.getKey())) {
          throw new IllegalArgumentException("the saved model has a param " + entry.getKey() + " that "
              + MultVaeModel.class.getSimpleName() + " does not know; was it saved by a newer vaecf?");
        }
        Param<Object> param = model.getParam(entry.getKey());
        model.set(param, param.jsonDecode(entry.getValue().toString()));
      }
    }
  }

  /**
   * Parses {@code text}, read from {@code source}.
   *
   * @throws IllegalArgumentException naming the source when the text is not this format or is a newer version
   */
  static Contents read(String text, String source) {
    JsonNode root = parse(text);
    String format = root.path("format").asText("");
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          source + " is not a saved MultVaeModel: format is '" + format + "', expected '" + FORMAT + "'");
    }
    int version = root.path("formatVersion").asInt(-1);
    if (version < 1 || version > VERSION) {
      throw new IllegalArgumentException(source + " has format version " + version + "; this vaecf reads versions "
          + "1 to " + VERSION + " (a newer vaecf wrote it?)");
    }
    Map<String, JsonNode> params = new java.util.LinkedHashMap<>();
    root.path("paramMap").properties().forEach(entry -> params.put(entry.getKey(), entry.getValue()));
    try {
      return new Contents(
          root.path("uid").asText(),
          IdType.fromPersistedName(root.path("userIdType").asText()),
          IdType.fromPersistedName(root.path("itemIdType").asText()),
          params,
          JSON.treeToValue(root.path("summary"), MultVaeSummary.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " has an unreadable summary: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
