package org.vaecf.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vaecf.data.AtomicDirectory;
import org.vaecf.data.IdIndex;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.ModelWeights;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TestModels;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;

/**
 * Model bundles: round trip, corruption detected with messages that name the file, atomic replacement, and a golden
 * bundle of format version 1 that every later version must still read.
 *
 * <p>The documented layout, which {@link #weightsBinIsTheDocumentedLittleEndianLayout} checks from the bytes: a
 * bundle is a directory of {@code model.json}, {@code items.tsv} and {@code weights.bin}. {@code items.tsv} holds
 * one line {@code <column>\t<raw id>\n} per item, columns from 0 in order. {@code weights.bin} is the concatenation,
 * in the order of {@code model.json}'s {@code tensors} array, of every tensor's values in row-major order as
 * little-endian IEEE-754 float32, with no header and no padding: tensor {@code t} occupies bytes
 * {@code [tensors[t].offset, tensors[t].offset + 4·rows·cols)}, the first offset is 0, each next offset follows
 * directly, and the file ends after the last tensor. {@code model.json}'s {@code files} records each data file's size
 * and SHA-256.
 */
class ModelBundleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<TrainedModel> models() {
    return Stream.of(
        TestModels.small(7),
        TestModels.model(new ModelConfig(ModelType.MULT_DAE, List.of(), 5, 0.2f), TestModels.itemIds(12), 8));
  }

  // ---------------------------------------------------------------- round trip

  @ParameterizedTest
  @MethodSource("models")
  void roundTripKeepsConfigIdsWeightsAndTrainingRecord(TrainedModel model, @TempDir Path dir) {
    Path bundle = dir.resolve("model");
    ModelBundle.write(model, bundle);
    TrainedModel read = ModelBundle.read(bundle);

    assertThat(read.config()).isEqualTo(model.config());
    assertThat(read.items().ids()).containsExactlyElementsOf(model.items().ids());
    assertBitIdentical(read.weights(), model.weights());

    TrainingRecord expected = model.training();
    TrainingRecord actual = read.training();
    assertThat(actual.seed()).isEqualTo(expected.seed());
    assertThat(actual.threads()).isEqualTo(2);
    assertThat(actual.settings()).isEqualTo(expected.settings());
    assertThat(actual.dataStats()).isEqualTo(expected.dataStats());
    assertThat(actual.validationMetric()).isEqualTo("ndcg@100");
    assertThat(actual.bestEpoch()).isEqualTo(2);
    assertThat(actual.bestValidation()).isEqualTo(0.25);
    assertThat(actual.history()).hasSize(3);
    assertThat(actual.history().get(2).validation()).isNaN();
    // Records compare their double components with Double.compare, so NaN equals NaN here.
    assertThat(actual.history()).containsExactlyElementsOf(expected.history());
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void missingValidationStaysNaN(@TempDir Path dir) {
    TrainedModel base = TestModels.small(3);
    TrainingRecord without =
        new TrainingRecord(
            11L, 1, Map.of(), Map.of(), "ndcg@100", 1, Double.NaN,
            List.of(new EpochRecord(1, 5.0, 4.5, 0.5, 0.2, Double.NaN, 0.5, 0.001, 4)), "2018-04-23T12:00:00Z",
            "test");
    TrainedModel model = new TrainedModel(base.config(), base.items(), base.weights(), without);
    ModelBundle.write(model, dir.resolve("m"));

    TrainingRecord read = ModelBundle.read(dir.resolve("m")).training();

    assertThat(read.bestValidation()).isNaN();
    assertThat(read.history().get(0).validation()).isNaN();
    assertThat(read.history().get(0).loss()).isEqualTo(5.0);
    assertThat(read).isEqualTo(without);
  }

  @ParameterizedTest
  @MethodSource("models")
  void modelReadBackScoresExactlyAsTheOriginal(TrainedModel model, @TempDir Path dir) {
    ModelBundle.write(model, dir.resolve("model"));
    TrainedModel read = ModelBundle.read(dir.resolve("model"));

    int[][] histories = {{}, {0}, {1, 4, 7}, {0, 2, 3, 5, 8, 9, 10, 11}};
    for (int[] history : histories) {
      float[] original = TestModels.logits(model, history);
      float[] reread = TestModels.logits(read, history);
      assertThat(reread).as("logits for history %s", java.util.Arrays.toString(history)).containsExactly(original);
    }
  }

  @Test
  void weightsBinIsTheDocumentedLittleEndianLayout(@TempDir Path dir) throws IOException {
    TrainedModel model = TestModels.small(5);
    Path bundle = dir.resolve("model");
    ModelBundle.write(model, bundle);
    JsonNode json = JSON.readTree(bundle.resolve("model.json").toFile());
    byte[] bin = Files.readAllBytes(bundle.resolve("weights.bin"));
    ByteBuffer bytes = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);

    List<String> names = new ArrayList<>();
    long expectedOffset = 0;
    for (JsonNode entry : json.get("tensors")) {
      String name = entry.get("name").asText();
      names.add(name);
      int rows = entry.get("rows").asInt();
      int cols = entry.get("cols").asInt();
      long offset = entry.get("offset").asLong();
      assertThat(offset).as("offset of %s", name).isEqualTo(expectedOffset);
      NamedTensor tensor = model.weights().get(name);
      assertThat(new int[] {rows, cols}).containsExactly(tensor.rows(), tensor.cols());
      for (int i = 0; i < rows * cols; i++) {
        float stored = bytes.getFloat((int) offset + Float.BYTES * i);
        assertThat(Float.floatToRawIntBits(stored))
            .as("%s[%d]", name, i)
            .isEqualTo(Float.floatToRawIntBits(tensor.get(i)));
      }
      expectedOffset += (long) Float.BYTES * rows * cols;
    }
    assertThat(names)
        .containsExactly(
            "encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.1.weight", "decoder.1.bias");
    assertThat((long) bin.length).isEqualTo(expectedOffset).isEqualTo(4L * model.weights().parameterCount());
    assertThat(json.at("/files/weights.bin/bytes").asLong()).isEqualTo(bin.length);
    assertThat(json.at("/files/weights.bin/sha256").asText()).isEqualTo(sha256(bin));

    String items = Files.readString(bundle.resolve("items.tsv"), StandardCharsets.UTF_8);
    StringBuilder expectedItems = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      expectedItems.append(i).append("\tm").append(i + 1).append('\n');
    }
    assertThat(items).isEqualTo(expectedItems.toString());
    assertThat(json.get("format").asText()).isEqualTo("vaecf-model");
    assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(json.get("items").asInt()).isEqualTo(30);
  }

  // ---------------------------------------------------------------- corruption

  @Test
  void oneFlippedByteInWeightsFailsTheChecksum(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    Path weights = bundle.resolve("weights.bin");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(weights, bytes);

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(weights + ": ")
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("corrupt");
  }

  @Test
  void truncatedWeightsFailTheSizeCheck(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    Path weights = bundle.resolve("weights.bin");
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 6));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(weights + ": ")
        .hasMessageContaining("has " + (bytes.length - 6) + " bytes but model.json records " + bytes.length)
        .hasMessageContaining("truncated");
  }

  @Test
  void editedItemsFailTheChecksum(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    Path items = bundle.resolve("items.tsv");
    // Same length, so only the checksum can notice.
    Files.writeString(items, Files.readString(items).replace("\tm12\n", "\tm99\n"));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(items + ": ")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void itemLinesOutOfOrderFailEvenWithAMatchingChecksum(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    Path items = bundle.resolve("items.tsv");
    Files.writeString(items, Files.readString(items).replace("2\tm3\n", "7\tm3\n"));
    recordFile(bundle, "items.tsv");

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(items + ": ")
        .hasMessageContaining("line 3: expected '2<TAB><item id>', got '7\tm3'");
  }

  @Test
  void modelJsonThatIsNotJsonFails(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    Path modelJson = bundle.resolve("model.json");
    Files.writeString(modelJson, "{ \"format\": \"vaecf-model\", ");

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(modelJson + ": ")
        .hasMessageContaining("is not valid JSON");
  }

  @Test
  void newerFormatVersionAsksForAnUpgrade(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    editJson(bundle, json -> json.put("formatVersion", 2));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(bundle.resolve("model.json") + ": ")
        .hasMessageContaining("format version 2 is newer")
        .hasMessageContaining("up to 1")
        .hasMessageContaining("upgrade vaecf");
  }

  @Test
  void unknownFormatNameFails(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    editJson(bundle, json -> json.put("format", "keras-model"));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(bundle.resolve("model.json") + ": ")
        .hasMessageContaining("format is 'keras-model', expected 'vaecf-model'");
  }

  @Test
  void missingWeightsFileFails(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    Files.delete(bundle.resolve("weights.bin"));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessage(bundle.resolve("weights.bin") + ": missing from the bundle");
  }

  @Test
  void missingFieldIsNamedWithItsPath(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    editJson(bundle, json -> ((ObjectNode) json.get("model")).remove("latentDim"));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessage(bundle.resolve("model.json") + ": field model.latentDim is missing");
  }

  @Test
  void anItemCountOutOfRangeIsNamedNotAllocated(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    editJson(bundle, json -> ((ObjectNode) json).put("items", -30));
    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessage(bundle.resolve("model.json") + ": items must be a positive count of items, got -30");

    // a count far above the file's lines: reported as the mismatch it is, without a list sized by it first
    editJson(bundle, json -> ((ObjectNode) json).put("items", 2_000_000_000));
    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageEndingWith("but model.json says 2000000000");
  }

  @Test
  void missingHistoryFieldIsNamedWithItsPath(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    editJson(bundle, json -> ((ObjectNode) json.at("/training/history/1")).remove("steps"));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessage(bundle.resolve("model.json") + ": field training.history[].steps is missing");
  }

  @Test
  void layoutThatDoesNotFitTheArchitectureFails(@TempDir Path dir) throws IOException {
    Path bundle = written(dir);
    editJson(bundle, json -> ((ObjectNode) json.get("model")).put("latentDim", 7));

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(bundle.resolve("model.json") + ": ")
        .hasMessageContaining("tensor layout does not match a mult-vae with hidden [16], latent 7 over 30 items");
  }

  @Test
  void layoutLongerThanTheWeightsFileFails(@TempDir Path dir) throws IOException {
    // model.json consistently describes latent 9, and the files entries match the files, but weights.bin still holds
    // the latent-8 weights: fewer floats than the layout needs.
    Path bundle = written(dir);
    TrainedModel wider = TestModels.model(TestModels.SMALL_CONFIG.withLatentDim(9), TestModels.itemIds(30), 1);
    Path other = dir.resolve("wider");
    ModelBundle.write(wider, other);
    JsonNode widerJson = JSON.readTree(other.resolve("model.json").toFile());
    editJson(
        bundle,
        json -> {
          json.set("model", widerJson.get("model"));
          json.set("tensors", widerJson.get("tensors"));
        });

    assertThatThrownBy(() -> ModelBundle.read(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            bundle.resolve("weights.bin") + ": has " + 4 * TestModels.small(7).weights().parameterCount()
                + " bytes but the tensor layout in model.json needs " + 4 * wider.weights().parameterCount());
  }

  @Test
  void directoryWithoutBundleFails(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> ModelBundle.read(empty))
        .isInstanceOf(BundleException.class)
        .hasMessage(empty.resolve("model.json") + ": missing; not a model bundle");

    Path absent = dir.resolve("absent");
    assertThatThrownBy(() -> ModelBundle.read(absent))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(absent + ": no model bundle here");

    Path file = Files.writeString(dir.resolve("file.txt"), "hello");
    assertThatThrownBy(() -> ModelBundle.read(file))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(file + ": no model bundle here");
  }

  // ---------------------------------------------------------------- atomicity

  @Test
  void writingOverABundleReplacesItAndLeavesNothingElse(@TempDir Path dir) throws IOException {
    Path bundle = dir.resolve("model");
    ModelBundle.write(TestModels.small(1), bundle);
    TrainedModel second = TestModels.small(2);
    ModelBundle.write(second, bundle);

    assertBitIdentical(ModelBundle.read(bundle).weights(), second.weights());
    assertThat(ModelBundle.read(bundle).training().seed()).isEqualTo(2);
    assertThat(listing(dir)).containsExactly("model");
    assertThat(listing(bundle)).containsExactlyInAnyOrder(
        "model.json", "items.tsv", "weights.bin", "history.json", "history.csv");
  }

  @Test
  void failedBundleWriteKeepsTheOldBundleAndNoTemporaries(@TempDir Path dir) throws IOException {
    Path bundle = dir.resolve("model");
    TrainedModel old = TestModels.small(1);
    ModelBundle.write(old, bundle);
    // An item id with a line break cannot be stored in items.tsv; the write must fail rather than leave a bundle
    // that cannot be read back, and must fail without touching the old one.
    List<String> ids = new ArrayList<>(TestModels.itemIds(30).ids());
    ids.set(4, "m5\nm5b");
    TrainedModel bad =
        new TrainedModel(old.config(), IdIndex.of(ids), TestModels.small(2).weights(), old.training());

    assertThatThrownBy(() -> ModelBundle.write(bad, bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageStartingWith(bundle + ": ")
        .hasMessageContaining("item 4 has an id with a line break");

    assertBitIdentical(ModelBundle.read(bundle).weights(), old.weights());
    assertThat(listing(dir)).containsExactly("model");
  }

  @Test
  void contentFailingMidwayKeepsTheOldBundleAndNoTemporaries(@TempDir Path dir) throws IOException {
    Path bundle = dir.resolve("model");
    TrainedModel old = TestModels.small(1);
    ModelBundle.write(old, bundle);

    IOException failure = new IOException("disk full (simulated)");
    assertThatThrownBy(
            () ->
                AtomicDirectory.write(
                    bundle,
                    "model.json",
                    directory -> {
                      Files.writeString(directory.resolve("model.json"), "{}");
                      Files.write(directory.resolve("weights.bin"), new byte[100]);
                      throw failure;
                    }))
        .isSameAs(failure);

    assertBitIdentical(ModelBundle.read(bundle).weights(), old.weights());
    assertThat(listing(dir)).containsExactly("model");
  }

  @Test
  void readFallsBackToThePreviousBundleOfAnInterruptedWrite(@TempDir Path dir) throws IOException {
    Path bundle = dir.resolve("model");
    TrainedModel old = TestModels.small(1);
    ModelBundle.write(old, bundle);
    String id = ModelBundle.id(bundle);
    // What a write interrupted between its two renames leaves: the old bundle under its ".previous" name only.
    Files.move(bundle, dir.resolve(".model.previous"));

    assertBitIdentical(ModelBundle.read(bundle).weights(), old.weights());
    assertThat(ModelBundle.id(bundle)).isEqualTo(id).hasSize(16);

    TrainedModel next = TestModels.small(2);
    ModelBundle.write(next, bundle);
    assertBitIdentical(ModelBundle.read(bundle).weights(), next.weights());
    assertThat(listing(dir)).containsExactly("model");
  }

  // ---------------------------------------------------------------- golden bundle of format version 1

  /** The hand-set tensors of the golden bundle: Mult-DAE, no hidden layer, latent 1, 3 items. */
  private static ModelWeights goldenWeights() {
    return new ModelWeights(
        List.of(
            NamedTensor.copyOf("encoder.0.weight", 3, 1, new float[] {0.5f, -1.25f, 2.0f}),
            NamedTensor.copyOf("encoder.0.bias", 1, 1, new float[] {0.125f}),
            NamedTensor.copyOf("decoder.0.weight", 1, 3, new float[] {1.5f, -0.75f, 0.25f}),
            NamedTensor.copyOf("decoder.0.bias", 1, 3, new float[] {0.0625f, -0.5f, 1.0f})));
  }

  private static final ModelConfig GOLDEN_CONFIG = new ModelConfig(ModelType.MULT_DAE, List.of(), 1, 0.5f);
  private static final List<String> GOLDEN_IDS = List.of("i1", "ítem 2", "3");

  /**
   * Writes the golden bundle into {@code src/test/resources/bundles/v1-tiny}. It was run once, when format version 1
   * was current; the files are committed and must not be regenerated by a later format. To regenerate (only if
   * version 1 itself was wrong), from the project root:
   *
   * <pre>mvn -o -pl vaecf-core test -Dtest=ModelBundleTest#regenerateGoldenBundle -Dvaecf.regenerateGolden=true</pre>
   */
  @Test
  @EnabledIfSystemProperty(named = "vaecf.regenerateGolden", matches = "true")
  void regenerateGoldenBundle() {
    TrainingRecord record =
        new TrainingRecord(
            20180423L, 1, Map.of("epochs", 1), Map.of("users", 2), "ndcg@100", 1, 0.5,
            List.of(new EpochRecord(1, 3.5, 3.5, 0.0, 0.0, 0.5, 0.25, 0.001, 1)), "2018-04-23T00:00:00Z",
            "0.1.0-SNAPSHOT");
    TrainedModel model = new TrainedModel(GOLDEN_CONFIG, IdIndex.of(GOLDEN_IDS), goldenWeights(), record);
    ModelBundle.write(model, Path.of("src/test/resources/bundles/v1-tiny"));
  }

  @Test
  void goldenVersionOneBundleStillReads() throws Exception {
    Path golden = Path.of(ModelBundleTest.class.getResource("/bundles/v1-tiny/model.json").toURI()).getParent();
    TrainedModel model = ModelBundle.read(golden);

    assertThat(model.config()).isEqualTo(GOLDEN_CONFIG);
    assertThat(model.items().ids()).containsExactlyElementsOf(GOLDEN_IDS);
    assertBitIdentical(model.weights(), goldenWeights());
    assertThat(model.training().seed()).isEqualTo(20180423L);
    assertThat(model.training().bestEpoch()).isEqualTo(1);
    assertThat(model.training().bestValidation()).isEqualTo(0.5);
    assertThat(model.training().history()).containsExactly(new EpochRecord(1, 3.5, 3.5, 0.0, 0.0, 0.5, 0.25, 0.001, 1));
    assertThat(ModelBundle.id(golden)).hasSize(16);

    // Logits by hand: one clicked item has L2-normalised input 1, the DAE code is tanh(w_enc[i] + b_enc), and item
    // j's logit is code · w_dec[j] + b_dec[j].
    float[] logits = TestModels.logits(model, 2);
    double code = Math.tanh(2.0 + 0.125);
    assertThat(logits[0]).isCloseTo((float) (code * 1.5 + 0.0625), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(logits[1]).isCloseTo((float) (code * -0.75 - 0.5), org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(logits[2]).isCloseTo((float) (code * 0.25 + 1.0), org.assertj.core.data.Offset.offset(1e-6f));
  }

  // ---------------------------------------------------------------- helpers

  private static Path written(Path dir) {
    Path bundle = dir.resolve("model");
    ModelBundle.write(TestModels.small(7), bundle);
    return bundle;
  }

  private static void assertBitIdentical(ModelWeights actual, ModelWeights expected) {
    assertThat(actual.tensors()).hasSameSizeAs(expected.tensors());
    for (int t = 0; t < expected.tensors().size(); t++) {
      NamedTensor e = expected.tensors().get(t);
      NamedTensor a = actual.tensors().get(t);
      assertThat(a.name()).isEqualTo(e.name());
      assertThat(new int[] {a.rows(), a.cols()}).as(e.name()).containsExactly(e.rows(), e.cols());
      for (int i = 0; i < e.size(); i++) {
        assertThat(Float.floatToRawIntBits(a.get(i)))
            .as("%s[%d]", e.name(), i)
            .isEqualTo(Float.floatToRawIntBits(e.get(i)));
      }
    }
  }

  private static void editJson(Path bundle, Consumer<ObjectNode> edit) throws IOException {
    Path file = bundle.resolve("model.json");
    ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(json);
    JSON.writeValue(file.toFile(), json);
  }

  /** Records {@code name}'s current size and SHA-256 in model.json, as if the edit had been made by a writer. */
  private static void recordFile(Path bundle, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(bundle.resolve(name));
    editJson(
        bundle,
        json -> {
          ObjectNode entry = (ObjectNode) json.get("files").get(name);
          entry.put("bytes", bytes.length);
          entry.put("sha256", sha256(bytes));
        });
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void refusesToReplaceADirectoryThatIsNotABundle(@TempDir Path dir) throws IOException {
    Path precious = dir.resolve("home");
    Files.createDirectories(precious);
    Files.writeString(precious.resolve("thesis.tex"), "years of work");
    assertThatThrownBy(() -> ModelBundle.write(TestModels.small(1), precious))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("refusing to replace")
        .hasMessageContaining("model.json");
    assertThat(precious.resolve("thesis.tex")).hasContent("years of work");
    assertThat(listing(dir)).containsExactly("home");
  }

  @Test
  void aWriteAfterAnInterruptedOneFirstRestoresThePreviousBundle(@TempDir Path dir) throws IOException {
    Path bundle = dir.resolve("model");
    TrainedModel old = TestModels.small(1);
    ModelBundle.write(old, bundle);
    Files.move(bundle, dir.resolve(".model.previous")); // as if killed between the two renames
    IOException failure = new IOException("disk full (simulated)");
    assertThatThrownBy(
            () -> AtomicDirectory.write(bundle, "model.json", directory -> {
              throw failure;
            }))
        .isSameAs(failure);
    assertBitIdentical(ModelBundle.read(bundle).weights(), old.weights());
    assertThat(listing(dir)).containsExactly("model");
  }

  @Test
  void bundlesAreReadableByOthers(@TempDir Path dir) throws IOException {
    Path bundle = dir.resolve("model");
    ModelBundle.write(TestModels.small(1), bundle);
    java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = Files.getPosixFilePermissions(bundle);
    assertThat(permissions).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
  }
}
