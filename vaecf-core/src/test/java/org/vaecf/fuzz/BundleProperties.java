package org.vaecf.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import net.jqwik.api.constraints.IntRange;
import org.vaecf.io.BundleException;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.TestModels;
import org.vaecf.model.TrainedModel;

/**
 * Hostile bundles: every file of a valid bundle damaged at random (bytes flipped, cut short, replaced by random bytes
 * or by JSON of the wrong shape). Loading must return an intact model or throw a {@link BundleException} — never
 * another exception type.
 */
class BundleProperties {
  private static final List<String> FILES = List.of("model.json", "items.tsv", "weights.bin");
  private Path dir;
  private Path bundle;

  @BeforeTry
  void writeBundle() throws IOException {
    dir = Files.createTempDirectory("vaecf-bundle-fuzz");
    bundle = dir.resolve("model");
    ModelBundle.write(TestModels.small(1), bundle);
  }

  @AfterTry
  void deleteAll() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private void assertLoadsOrFailsCleanly() {
    try {
      TrainedModel model = ModelBundle.read(bundle);
      assertThat(model.items().size()).isPositive();
    } catch (BundleException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 150)
  void flippedBytes(
      @ForAll @IntRange(min = 0, max = 2) int file,
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    Path path = bundle.resolve(FILES.get(file));
    byte[] bytes = Files.readAllBytes(path);
    bytes[position % bytes.length] ^= (byte) mask;
    Files.write(path, bytes);
    assertLoadsOrFailsCleanly();
  }

  @Property(tries = 100)
  void truncatedFiles(@ForAll @IntRange(min = 0, max = 2) int file, @ForAll @IntRange(min = 0, max = 100) int percent)
      throws IOException {
    Path path = bundle.resolve(FILES.get(file));
    byte[] bytes = Files.readAllBytes(path);
    Files.write(path, Arrays.copyOf(bytes, bytes.length * percent / 101));
    assertLoadsOrFailsCleanly();
  }

  @Property(tries = 100)
  void randomContent(@ForAll @IntRange(min = 0, max = 2) int file, @ForAll("bytes") byte[] content)
      throws IOException {
    Files.write(bundle.resolve(FILES.get(file)), content);
    assertLoadsOrFailsCleanly();
  }

  @Property(tries = 100)
  void jsonOfTheWrongShape(@ForAll("json") String json) throws IOException {
    Files.writeString(bundle.resolve("model.json"), json);
    assertLoadsOrFailsCleanly();
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(5000);
  }

  @Provide
  Arbitrary<String> json() {
    Arbitrary<String> values =
        Arbitraries.of(
            "null", "1", "-1", "1e400", "\"x\"", "[]", "{}", "true", "2147483648", "[1,2]", "{\"a\":1}", "\"NaN\"");
    Arbitrary<String> keys =
        Arbitraries.of(
            "format", "formatVersion", "model", "items", "training", "tensors", "files", "type", "hiddenDims",
            "latentDim", "dropout", "history", "bytes", "sha256");
    return Arbitraries.maps(keys, values).ofMaxSize(8).map(map -> {
      StringBuilder text = new StringBuilder("{\"format\":\"vaecf-model\",\"formatVersion\":1");
      map.forEach((key, value) -> text.append(",\"").append(key).append("\":").append(value));
      return text.append('}').toString();
    });
  }
}
