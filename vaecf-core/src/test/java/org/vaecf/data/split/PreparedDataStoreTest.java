package org.vaecf.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.DataFormatException;
import org.vaecf.data.IdIndex;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.SharedFixtures;

class PreparedDataStoreTest {
  @TempDir Path tmp;

  /** Two items, two training users, one validation user with an empty held-out row, no test users, no provenance. */
  private static PreparedData handBuilt(String validationUser) {
    IdIndex items = IdIndex.of(List.of("i1", "i0"));
    CsrMatrix train = new CsrMatrix.Builder(2).addRow(new int[] {1, 0}).addRow(new int[] {1}).build();
    HeldOutSet validation = new HeldOutSet(IdIndex.of(List.of(validationUser)),
        new CsrMatrix.Builder(2).addRow(new int[] {0}).build(), CsrMatrix.empty(1, 2));
    PreparationStats stats = new PreparationStats(2, 2, 3, 1, 0, 1, 0, 0, 0, 7, 1, 2, 6, 3);
    return new PreparedData(items, IdIndex.of(List.of("a", "b")), train, validation, HeldOutSet.empty(2), stats);
  }

  @Test
  void roundTripsHandBuiltDataWithoutProvenance() {
    Path dir = tmp.resolve("p");
    PreparedDataStore.write(handBuilt("v"), dir);
    assertThat(PreparedDataStore.read(dir)).isEqualTo(handBuilt("v"));
  }

  @Test
  void roundTripsEachProtocolAndWritesTheDocumentedKeys() throws IOException {
    Interactions data = SplitFixtures.log(true, true,
        new String[] {"1", "a", "5", "3"}, new String[] {"1", "b", "5", "2"}, new String[] {"1", "c", "5", "1"},
        new String[] {"2", "a", "5", "1"}, new String[] {"2", "b", "5", "2"}, new String[] {"2", "c", "4", "3"},
        new String[] {"3", "a", "5", "1"}, new String[] {"4", "b", "5", "1"}, new String[] {"5", "c", "5", "1"});
    List<SplitConfig> configs = List.of(
        StrongGeneralizationConfig.defaults(1).withMinUserInteractions(1).withRng(SplitRng.SPLITTABLE).withSeed(-7),
        UserRatioConfig.defaults().withMinUserInteractions(1).withProportions(0.25, 0.4),
        new LeaveLastOutConfig(2.5, 3));
    for (SplitConfig config : configs) {
      PreparedData split = config.splitter().split(data);
      Path dir = tmp.resolve(config.protocol().cliName());
      PreparedDataStore.write(split, dir);
      assertThat(PreparedDataStore.read(dir)).as("%s", config).isEqualTo(split);
    }
    JsonNode stats = new ObjectMapper().readTree(tmp.resolve("strong-generalization/stats.json").toFile());
    assertThat(stats.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(stats.get("protocol").asText()).isEqualTo("strong-generalization");
    assertThat(stats.get("format").asText()).isEqualTo("csv");
    assertThat(stats.get("inputs").get(0).asText()).isEqualTo("fixture");
    assertThat(stats.get("rng").asText()).isEqualTo("splittable");
    assertThat(stats.get("seed").asLong()).isEqualTo(-7);
    assertThat(stats.get("ratingThreshold").asDouble()).isEqualTo(3.5);
    for (String key : List.of("trainUsers", "items", "trainInteractions", "validationUsers", "testUsers",
        "skippedLines", "duplicatePairs", "heldOutUsers", "minUserInteractions", "testProportion")) {
      assertThat(stats.has(key)).as(key).isTrue();
    }
  }

  @Test
  void roundTripsTheNotebookSplitOfMovieLens100k() throws IOException {
    Path file = SharedFixtures.require("data/ml-100k/u.data");
    Interactions data = new InteractionReader(ReaderOptions.of(InteractionFormat.MOVIELENS_100K)).read(file);
    PreparedData split = StrongGeneralizationConfig.defaults(100).splitter().split(data);
    Path dir = tmp.resolve("ml100k");
    PreparedDataStore.write(split, dir);
    assertThat(PreparedDataStore.read(dir)).isEqualTo(split);
    JsonNode stats = new ObjectMapper().readTree(dir.resolve("stats.json").toFile());
    assertThat(stats.get("trainUsers").asInt() + "/" + stats.get("items").asInt() + "/"
        + stats.get("trainInteractions").asLong()).isEqualTo("738/1415/43606");
    assertThat(stats.get("inputs").get(0).asText()).isEqualTo(file.toString());
    assertThat(stats.get("rng").asText()).isEqualTo("numpy-legacy");
    assertThat(stats.get("heldOutUsers").asInt()).isEqualTo(100);
  }

  @Test
  void replacesAnOldDirectoryOnlyWhenTheNewOneIsComplete() throws IOException {
    Path dir = tmp.resolve("p");
    PreparedDataStore.write(handBuilt("v"), dir);
    PreparedDataStore.write(handBuilt("w"), dir);
    assertThat(PreparedDataStore.read(dir).validation().users().ids()).containsExactly("w");
    // A user id with a tab fails in the middle of writing (after stats.json and items.tsv): the old data stays.
    assertThatThrownBy(() -> PreparedDataStore.write(handBuilt("x\ty"), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user id 'x\\ty' cannot be stored: ids must be non-empty and free of tabs and line breaks");
    assertThat(PreparedDataStore.read(dir).validation().users().ids()).containsExactly("w");
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("p");
    }
  }

  @Test
  void readFallsBackToThePreviousDataOfAnInterruptedWrite() throws IOException {
    Path dir = tmp.resolve("p");
    PreparedDataStore.write(handBuilt("v"), dir);
    // What a write interrupted between its two renames leaves: the old data under its ".previous" name only.
    Files.move(dir, tmp.resolve(".p.previous"));
    assertThat(PreparedDataStore.read(dir)).isEqualTo(handBuilt("v"));
    PreparedDataStore.write(handBuilt("w"), dir);
    assertThat(PreparedDataStore.read(dir).validation().users().ids()).containsExactly("w");
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("p");
    }
  }

  @Test
  void refusesToReplaceADirectoryThatIsNotPreparedData() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(dir.resolve("thesis.tex"), "precious");
    assertThatThrownBy(() -> PreparedDataStore.write(handBuilt("v"), dir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("refusing to replace " + dir + ": it is not empty and has no stats.json");
    assertThat(dir.resolve("thesis.tex")).hasContent("precious");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    PreparedDataStore.write(handBuilt("v"), empty);
    assertThat(PreparedDataStore.read(empty)).isEqualTo(handBuilt("v"));
  }

  private Path written() {
    Path dir = tmp.resolve("p");
    PreparedDataStore.write(handBuilt("v"), dir);
    return dir;
  }

  private static void replaceIn(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  @Test
  void readNamesTheFileAndProblem() throws IOException {
    assertThatThrownBy(() -> PreparedDataStore.read(tmp.resolve("nope")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("prepared-data directory " + tmp.resolve("nope") + " does not exist");

    Path dir = written();
    Files.delete(dir.resolve("test.tsv"));
    assertThatThrownBy(() -> PreparedDataStore.read(dir))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(dir.resolve("test.tsv") + ": is missing (expected in a prepared-data directory written by prepare)");

    Path v2 = written();
    replaceIn(v2.resolve("stats.json"), "\"formatVersion\" : 1", "\"formatVersion\" : 2");
    assertThatThrownBy(() -> PreparedDataStore.read(v2))
        .hasMessage(v2.resolve("stats.json") + ": prepared-data format version 2 is not supported "
            + "(this version of vaecf reads version 1); run prepare again");

    Path counts = written();
    Files.writeString(counts.resolve("items.tsv"), "i1\ni0\ni2\n");
    assertThatThrownBy(() -> PreparedDataStore.read(counts))
        .hasMessage(counts.resolve("items.tsv") + ": holds 3 for items but stats.json says 2");

    Path users = written();
    replaceIn(users.resolve("stats.json"), "\"trainUsers\" : 2", "\"trainUsers\" : 3");
    assertThatThrownBy(() -> PreparedDataStore.read(users))
        .hasMessage(users.resolve("train.tsv") + ": holds 2 for trainUsers but stats.json says 3");

    Path corrupt = written();
    Files.writeString(corrupt.resolve("train.tsv"), "a\t0 1\nb\t1 x\n");
    assertThatThrownBy(() -> PreparedDataStore.read(corrupt))
        .hasMessage(corrupt.resolve("train.tsv") + ":2: item index 'x' is not an integer");

    Path bytes = written();
    Files.write(bytes.resolve("train.tsv"), new byte[] {'a', '\t', '0', '\n', 'b', (byte) 0xE9, '\t', '1', '\n'});
    assertThatThrownBy(() -> PreparedDataStore.read(bytes))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(bytes.resolve("train.tsv") + ":2: is not valid UTF-8 text at byte 2 of the line, 0xE9 "
            + "(expected UTF-8)");

    Path range = written();
    Files.writeString(range.resolve("validation.tsv"), "v\t2\t\n");
    assertThatThrownBy(() -> PreparedDataStore.read(range))
        .hasMessage(range.resolve("validation.tsv") + ":1: item index 2 is out of range (expected 0..1)");

    Path fields = written();
    Files.writeString(fields.resolve("validation.tsv"), "v\t0\n");
    assertThatThrownBy(() -> PreparedDataStore.read(fields))
        .hasMessage(fields.resolve("validation.tsv") + ":1: expected 3 tab-separated fields "
            + "(user, fold-in items, held-out items), found 2");

    Path json = written();
    Files.writeString(json.resolve("stats.json"), "{\n \"formatVersion\": 1,\n \"items\": }\n");
    assertThatThrownBy(() -> PreparedDataStore.read(json))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(json.resolve("stats.json") + ":3: is not valid JSON");

    Path missingKey = written();
    replaceIn(missingKey.resolve("stats.json"), "\"items\" : 2,", "");
    assertThatThrownBy(() -> PreparedDataStore.read(missingKey))
        .hasMessage(missingKey.resolve("stats.json") + ": has no 'items'");
  }

  @Test
  void readRejectsInvalidRecordedSettings() throws IOException {
    Interactions data = SplitFixtures.log(false, false, new String[] {"1", "a"}, new String[] {"2", "a"},
        new String[] {"3", "a"});
    Path dir = tmp.resolve("p");
    PreparedDataStore.write(
        StrongGeneralizationConfig.defaults(1).withMinUserInteractions(1).splitter().split(data), dir);
    replaceIn(dir.resolve("stats.json"), "\"heldOutUsers\" : 1", "\"heldOutUsers\" : 0");
    assertThatThrownBy(() -> PreparedDataStore.read(dir))
        .hasMessage(dir.resolve("stats.json") + ": invalid settings: heldOutUsers must be >= 1, got 0");
    replaceIn(dir.resolve("stats.json"), "\"heldOutUsers\" : 0", "\"heldOutUsers\" : 1");
    replaceIn(dir.resolve("stats.json"), "\"rng\" : \"numpy-legacy\"", "\"rng\" : \"dice\"");
    assertThatThrownBy(() -> PreparedDataStore.read(dir))
        .hasMessage(dir.resolve("stats.json") + ": 'rng': unknown random generator 'dice' (valid: numpy-legacy, splittable)");
  }
}
