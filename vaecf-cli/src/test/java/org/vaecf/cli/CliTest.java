package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.data.Interactions;
import org.vaecf.data.synthetic.SyntheticData;
import picocli.CommandLine;

/** The command line end to end on a small synthetic log: exit codes, messages, files and JSON output. */
class CliTest {
  @TempDir static Path dir;
  private static Path log;
  private static Path prepared;
  private static Path model;

  /** Output of one run. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = VaecfCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void prepareAndTrain() throws IOException {
    Interactions synthetic = new SyntheticData(SyntheticData.Settings.demo().withSize(600, 300)).generate();
    log = dir.resolve("log.tsv");
    List<String> lines = new ArrayList<>();
    lines.add("who\twhat\twhen");
    for (int k = 0; k < synthetic.size(); k++) {
      lines.add(synthetic.users().rawId(synthetic.user(k)) + "\t" + synthetic.items().rawId(synthetic.item(k)) + "\t"
          + synthetic.timestamp(k));
    }
    Files.write(log, lines);
    prepared = dir.resolve("prepared");
    Run prepare =
        run("prepare", "--input", log.toString(), "--format", "csv", "--delimiter", "tab", "--columns",
            "who,what,-,when", "--heldout-users", "50", "--out", prepared.toString());
    assertThat(prepare.code()).as(prepare.err()).isZero();
    assertThat(prepare.out()).contains("train:").contains("validation:");
    model = dir.resolve("model");
    Run train =
        run("train", "--data", prepared.toString(), "--out", model.toString(), "--epochs", "3", "--hidden", "32",
            "--latent", "8", "--threads", "1");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("best epoch");
  }

  @Test
  void prepareWritesTheStatisticsTheContractNames() throws IOException {
    JsonNode stats = new ObjectMapper().readTree(prepared.resolve("stats.json").toFile());
    for (String key :
        List.of("trainUsers", "items", "trainInteractions", "validationUsers", "testUsers", "skippedLines",
            "duplicatePairs")) {
      assertThat(stats.has(key)).as(key).isTrue();
    }
    assertThat(stats.get("trainUsers").asInt()).isEqualTo(500);
    assertThat(stats.get("validationUsers").asInt()).isEqualTo(50);
  }

  @Test
  void trainWritesALoadableBundle() {
    assertThat(model.resolve("model.json")).exists();
    assertThat(model.resolve("items.tsv")).exists();
    assertThat(model.resolve("weights.bin")).exists();
  }

  @Test
  void evaluateJsonHasTheContractKeys() throws IOException {
    Run evaluate = run("evaluate", "--model", model.toString(), "--data", prepared.toString(), "--json");
    assertThat(evaluate.code()).as(evaluate.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(evaluate.out());
    assertThat(json.get("ndcg@100").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("recall@20").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("recall@50").asDouble()).isBetween(0.0, 1.0);
    assertThat(json.get("users").asInt() + json.get("skippedUsers").asInt()).isEqualTo(50);
    assertThat(json.get("standardErrors").get("ndcg@100").asDouble()).isPositive();
  }

  @Test
  void evaluateTextShowsMeansAndStandardErrors() {
    Run evaluate =
        run("evaluate", "--model", model.toString(), "--data", prepared.toString(), "--split", "validation",
            "--k", "10", "--metrics", "precision@10,coverage@10");
    assertThat(evaluate.code()).as(evaluate.err()).isZero();
    assertThat(evaluate.out()).contains("ndcg@10").contains("recall@10").contains("precision@10")
        .contains("coverage@10").contains("±");
  }

  @Test
  void recommendReportsUnknownItemsAndExcludesTheGivenOnes() throws IOException {
    Run recommend =
        run("recommend", "--model", model.toString(), "--items", "i1,i2,nope", "-k", "5", "--json");
    assertThat(recommend.code()).as(recommend.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(recommend.out());
    assertThat(json.get("items")).hasSize(5);
    assertThat(json.get("unknownItems").toString()).isEqualTo("[\"nope\"]");
    for (JsonNode item : json.get("items")) {
      assertThat(item.get("id").asText()).isNotIn("i1", "i2");
    }
  }

  @Test
  void recommendWithOnlyUnknownItemsFails() {
    Run recommend = run("recommend", "--model", model.toString(), "--items", "nope,nada");
    assertThat(recommend.code()).isEqualTo(1);
    assertThat(recommend.err()).startsWith("error: none of the 2 given items is known").doesNotContain("\tat ");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run("frobnicate").code()).isEqualTo(2);
    Run missing = run("prepare", "--input", log.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option");
    Run badFormat =
        run("prepare", "--input", log.toString(), "--format", "parquet", "--heldout-users", "5", "--out",
            dir.resolve("x").toString());
    assertThat(badFormat.code()).as(badFormat.err()).isEqualTo(2);
    assertThat(badFormat.err()).contains("parquet").contains("movielens-csv");
    Run badEpochs =
        run("train", "--data", prepared.toString(), "--out", dir.resolve("y").toString(), "--epochs", "0");
    assertThat(badEpochs.code()).isEqualTo(2);
    assertThat(badEpochs.err()).contains("epochs must be > 0, got 0");
    Run badHidden =
        run("train", "--data", prepared.toString(), "--out", dir.resolve("y").toString(), "--hidden", "6x0");
    assertThat(badHidden.code()).isEqualTo(2);
    assertThat(badHidden.err()).contains("--hidden");
  }

  @Test
  void failuresNameTheFileAndExitWithOne() throws IOException {
    Run missingFile =
        run("prepare", "--input", dir.resolve("absent.csv").toString(), "--format", "movielens-csv",
            "--heldout-users", "5", "--out", dir.resolve("z").toString());
    assertThat(missingFile.code()).isEqualTo(1);
    assertThat(missingFile.err()).contains("absent.csv").doesNotContain("\tat ");

    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "userId,movieId,rating,timestamp\n1,10,4.0,5\n1,11,abc,6\n");
    Run malformed =
        run("prepare", "--input", bad.toString(), "--format", "movielens-csv", "--heldout-users", "1", "--out",
            dir.resolve("z").toString());
    assertThat(malformed.code()).isEqualTo(1);
    assertThat(malformed.err()).contains("bad.csv:3").contains("abc").doesNotContain("\tat ");

    Run notAModel = run("evaluate", "--model", dir.toString(), "--data", prepared.toString());
    assertThat(notAModel.code()).isEqualTo(1);
    assertThat(notAModel.err()).contains("model.json");
  }

  @Test
  void trainRefusesToOverwriteADirectoryItDidNotWrite() throws IOException {
    Path foreign = dir.resolve("my-files");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "keep me");
    Run train = run("train", "--data", prepared.toString(), "--out", foreign.toString(), "--epochs", "1");
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains("did not write");
    assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
  }

  @Test
  void resumeWithoutACheckpointTrainsFromTheStart() {
    Path model2 = dir.resolve("resumed");
    Run train =
        run("train", "--data", prepared.toString(), "--out", model2.toString(), "--epochs", "2", "--hidden", "16",
            "--latent", "4", "--threads", "1", "--resume");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(model2.resolve("model.json")).exists();
    assertThat(model2.resolve(".checkpoint")).doesNotExist(); // replaced by the finished bundle
  }
}
