package org.vaecf.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TensorShape;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;

/** The content of {@code model.json}: written from a model, and parsed back with checks that name the field. */
final class BundleMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Size and checksum of one file of the bundle. */
  record FileEntry(long bytes, String sha256) {}

  private final ModelConfig config;
  private final int items;
  private final TrainingRecord training;
  private final List<TensorShape> tensors;
  private final Map<String, FileEntry> files;
  private final Path source;

  private BundleMetadata(
      ModelConfig config,
      int items,
      TrainingRecord training,
      List<TensorShape> tensors,
      Map<String, FileEntry> files,
      Path source) {
    this.config = config;
    this.items = items;
    this.training = training;
    this.tensors = tensors;
    this.files = files;
    this.source = source;
  }

  ModelConfig config() {
    return config;
  }

  int items() {
    return items;
  }

  TrainingRecord training() {
    return training;
  }

  List<TensorShape> tensors() {
    return tensors;
  }

  FileEntry file(String name) {
    FileEntry entry = files.get(name);
    if (entry == null) {
      throw new BundleException(source, "files." + name + " is missing");
    }
    return entry;
  }

  /** The JSON object of {@code model.json} for {@code model}. */
  static Map<String, Object> toJson(TrainedModel model, Map<String, Object> files, String id) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", ModelBundle.FORMAT_NAME);
    json.put("formatVersion", ModelBundle.FORMAT_VERSION);
    json.put("id", id);
    Map<String, Object> architecture = new LinkedHashMap<>();
    architecture.put("type", model.config().type().cliName());
    architecture.put("hiddenDims", model.config().hiddenDims());
    architecture.put("latentDim", model.config().latentDim());
    architecture.put("dropout", model.config().dropout());
    json.put("model", architecture);
    json.put("items", model.items().size());
    TrainingRecord record = model.training();
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("seed", record.seed());
    training.put("threads", record.threads());
    training.put("settings", record.settings());
    training.put("data", record.dataStats());
    training.put("validationMetric", record.validationMetric());
    training.put("bestEpoch", record.bestEpoch());
    training.put("bestValidation", finiteOrNull(record.bestValidation()));
    training.put("createdAt", record.createdAt());
    training.put("version", record.version());
    List<Map<String, Object>> history = new ArrayList<>();
    for (EpochRecord epoch : record.history()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", epoch.epoch());
      row.put("loss", finiteOrNull(epoch.loss()));
      row.put("nll", finiteOrNull(epoch.nll()));
      row.put("kl", finiteOrNull(epoch.kl()));
      row.put("beta", epoch.beta());
      row.put("validation", finiteOrNull(epoch.validation()));
      row.put("seconds", epoch.seconds());
      row.put("learningRate", epoch.learningRate());
      row.put("steps", epoch.steps());
      history.add(row);
    }
    training.put("history", history);
    json.put("training", training);
    List<Map<String, Object>> layout = new ArrayList<>();
    long offset = 0;
    for (NamedTensor tensor : model.weights().tensors()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", tensor.name());
      entry.put("rows", tensor.rows());
      entry.put("cols", tensor.cols());
      entry.put("offset", offset);
      layout.add(entry);
      offset += (long) tensor.size() * Float.BYTES;
    }
    json.put("tensors", layout);
    json.put("files", files);
    return json;
  }

  private static Object finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** Parses and checks {@code model.json}. */
  static BundleMetadata fromJson(JsonNode json, Path source, String formatName, int supportedVersion) {
    Fields fields = new Fields(json, source);
    String format = fields.text("format");
    if (!formatName.equals(format)) {
      throw new BundleException(source, "format is '" + format + "', expected '" + formatName + "'");
    }
    int version = fields.integer("formatVersion");
    if (version > supportedVersion) {
      throw new BundleException(
          source, "bundle format version " + version + " is newer than this vaecf reads (up to "
              + supportedVersion + "); upgrade vaecf to load it");
    }
    if (version < 1) {
      throw new BundleException(source, "formatVersion must be >= 1, got " + version);
    }
    Fields model = fields.object("model");
    ModelConfig config;
    try {
      List<Integer> hidden = new ArrayList<>();
      for (JsonNode width : model.array("hiddenDims")) {
        if (!width.canConvertToInt()) {
          throw new BundleException(source, "model.hiddenDims must hold integers");
        }
        hidden.add(width.intValue());
      }
      config =
          new ModelConfig(
              ModelType.fromCliName(model.text("type")), hidden, model.integer("latentDim"),
              (float) model.number("dropout"));
    } catch (IllegalArgumentException e) {
      throw new BundleException(source, "model: " + e.getMessage());
    }
    int items = fields.integer("items");
    if (items < 1) {
      throw new BundleException(source, "items must be a positive count of items, got " + items);
    }
    Fields training = fields.object("training");
    List<EpochRecord> history = new ArrayList<>();
    for (JsonNode row : training.array("history")) {
      Fields epoch = new Fields(row, source, "training.history[]");
      history.add(
          new EpochRecord(
              epoch.integer("epoch"), epoch.numberOrNaN("loss"), epoch.numberOrNaN("nll"), epoch.numberOrNaN("kl"),
              epoch.number("beta"), epoch.numberOrNaN("validation"), epoch.number("seconds"),
              epoch.number("learningRate"), epoch.longValue("steps")));
    }
    TrainingRecord record =
        new TrainingRecord(
            training.longValue("seed"), training.integer("threads"), training.map("settings"),
            training.map("data"), training.text("validationMetric"), training.integer("bestEpoch"),
            training.numberOrNaN("bestValidation"), history, training.text("createdAt"),
            training.text("version"));
    List<TensorShape> tensors = new ArrayList<>();
    for (JsonNode entry : fields.array("tensors")) {
      Fields tensor = new Fields(entry, source, "tensors[]");
      tensors.add(new TensorShape(tensor.text("name"), tensor.integer("rows"), tensor.integer("cols")));
    }
    Map<String, FileEntry> files = new LinkedHashMap<>();
    Fields fileFields = fields.object("files");
    for (String name : List.of(ModelBundle.ITEMS_FILE, ModelBundle.WEIGHTS_FILE)) {
      Fields file = fileFields.object(name);
      files.put(name, new FileEntry(file.longValue("bytes"), file.text("sha256")));
    }
    return new BundleMetadata(config, items, record, tensors, files, source);
  }

  /** Typed access to the fields of one JSON object, failing with the field's path. */
  private static final class Fields {
    private final JsonNode node;
    private final Path source;
    private final String path;

    Fields(JsonNode node, Path source) {
      this(node, source, "");
    }

    Fields(JsonNode node, Path source, String path) {
      if (node == null || !node.isObject()) {
        throw new BundleException(source, (path.isEmpty() ? "the document" : path) + " must be a JSON object");
      }
      this.node = node;
      this.source = source;
      this.path = path;
    }

    private String where(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode required(String field) {
      JsonNode value = node.get(field);
      if (value == null || value.isMissingNode()) {
        throw new BundleException(source, "field " + where(field) + " is missing");
      }
      return value;
    }

    String text(String field) {
      JsonNode value = required(field);
      if (!value.isTextual()) {
        throw new BundleException(source, "field " + where(field) + " must be a string");
      }
      return value.asText();
    }

    int integer(String field) {
      JsonNode value = required(field);
      if (!value.canConvertToInt() || !value.isIntegralNumber()) {
        throw new BundleException(source, "field " + where(field) + " must be an integer");
      }
      return value.intValue();
    }

    long longValue(String field) {
      JsonNode value = required(field);
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw new BundleException(source, "field " + where(field) + " must be an integer");
      }
      return value.longValue();
    }

    double number(String field) {
      JsonNode value = required(field);
      if (!value.isNumber()) {
        throw new BundleException(source, "field " + where(field) + " must be a number");
      }
      return value.doubleValue();
    }

    double numberOrNaN(String field) {
      JsonNode value = required(field);
      return value.isNull() ? Double.NaN : number(field);
    }

    Fields object(String field) {
      return new Fields(required(field), source, where(field));
    }

    Iterable<JsonNode> array(String field) {
      JsonNode value = required(field);
      if (!value.isArray()) {
        throw new BundleException(source, "field " + where(field) + " must be an array");
      }
      return value;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String field) {
      JsonNode value = required(field);
      if (!value.isObject()) {
        throw new BundleException(source, "field " + where(field) + " must be an object");
      }
      return JSON.convertValue(value, Map.class);
    }
  }
}
