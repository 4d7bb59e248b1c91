package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;
import org.vaecf.train.TrainingListener;
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
  void evaluateRecommendAndReportCheckTheirOptionsBeforeReadingAnything() {
    Path absent = dir.resolve("no-such-model"); // a usage error must come first, before the missing model is noticed
    Run badK = run("recommend", "--model", absent.toString(), "--items", "i1", "-k", "0");
    assertThat(badK.code()).as(badK.err()).isEqualTo(2);
    assertThat(badK.err()).contains("-k must be > 0, got 0");
    Run badThreads = run("evaluate", "--model", absent.toString(), "--data", prepared.toString(), "--threads", "0");
    assertThat(badThreads.code()).as(badThreads.err()).isEqualTo(2);
    assertThat(badThreads.err()).contains("--threads must be > 0, got 0");
    Run twice = run("evaluate", "--model", absent.toString(), "--data", prepared.toString(), "--k", "20,20");
    assertThat(twice.code()).as(twice.err()).isEqualTo(2);
    assertThat(twice.err()).contains("metric ndcg@20 is asked for twice (--k 20,20)");
    Run overlap =
        run("evaluate", "--model", absent.toString(), "--data", prepared.toString(), "--metrics", "ndcg@100");
    assertThat(overlap.code()).as(overlap.err()).isEqualTo(2);
    assertThat(overlap.err()).contains("metric ndcg@100 is asked for twice (--k 20,50,100, --metrics ndcg@100)");
    Run report = run("report", "--model", absent.toString(), "--threads", "-3", "--out", dir.resolve("r").toString());
    assertThat(report.code()).as(report.err()).isEqualTo(2);
    assertThat(report.err()).contains("--threads must be > 0, got -3");
  }

  @Test
  void evaluateTakesACutOffBeyondTheCatalogue() throws IOException {
    // a ranking holds at most every item: K = 10^9 is every item, not a billion slots per user
    Run evaluate =
        run("evaluate", "--model", model.toString(), "--data", prepared.toString(), "--k", "1000000000",
            "--metrics", "coverage@1000000000", "--json");
    assertThat(evaluate.code()).as(evaluate.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(evaluate.out());
    assertThat(json.get("recall@1000000000").asDouble()).isEqualTo(1.0); // every held-out item is in a full ranking
    assertThat(json.get("coverage@1000000000").asDouble()).isBetween(0.0, 1.0);
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
    Path foreign = foreignDirectory(dir.resolve("my-files"));
    Run train = run("train", "--data", prepared.toString(), "--out", foreign.toString(), "--epochs", "1");
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains("did not write");
    assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
  }

  @Test
  void commandsThatWorkFirstRefuseAForeignOutputDirectoryBeforeTheyStart() throws IOException {
    Path foreign = foreignDirectory(dir.resolve("foreign-out"));
    Run tune = run("tune-beta", "--data", prepared.toString(), "--out", foreign.toString(), "--epochs", "1");
    assertThat(tune.code()).as(tune.err()).isEqualTo(2);
    assertThat(tune.err()).contains("--out " + foreign).contains("did not write").contains("beta-search.json");
    assertThat(tune.out()).doesNotContain("β search on"); // refused before the first run started
    Run prepare =
        run("prepare", "--input", log.toString(), "--format", "csv", "--delimiter", "tab", "--columns",
            "who,what,-,when", "--heldout-users", "50", "--out", foreign.toString());
    assertThat(prepare.code()).as(prepare.err()).isEqualTo(2);
    assertThat(prepare.err()).contains("did not write").contains("stats.json");
    Path work = dir.resolve("demo-work");
    foreignDirectory(work.resolve("model"));
    Run demo = run("demo", "--work", work.toString(), "--epochs", "1");
    assertThat(demo.code()).as(demo.err()).isEqualTo(2);
    assertThat(demo.err()).contains(work.resolve("model").toString()).contains("did not write");
    assertThat(work.resolve("synthetic.csv")).as("nothing generated before the refusal").doesNotExist();
    assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
    assertThat(work.resolve("model").resolve("notes.txt")).hasContent("keep me");
  }

  /** A directory vaecf did not write: one file of the user's, "notes.txt", holding "keep me". */
  private static Path foreignDirectory(Path path) throws IOException {
    Files.createDirectories(path);
    Files.writeString(path.resolve("notes.txt"), "keep me");
    return path;
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

  @Test
  void resumeFromADamagedCheckpointNamesTheFileAndLeavesTheCheckpointAlone() throws IOException {
    // a checkpoint as a killed run leaves it: written at the end of epoch 1, the run killed in epoch 2
    Path out = dir.resolve("damaged-checkpoint").toAbsolutePath().normalize();
    Path checkpoint = out.resolve(".checkpoint");
    Trainer killed =
        new Trainer(
                ModelConfig.defaults(ModelType.MULT_VAE).withHiddenDims(List.of(16)).withLatentDim(4),
                TrainConfig.builder(ModelType.MULT_VAE).epochs(2).threads(1).build())
            .checkpointTo(checkpoint)
            .addListener(
                new TrainingListener() {
                  @Override
                  public void onStep(int epoch, int batch, int batches, long users) {
                    if (epoch == 2) {
                      throw new IllegalStateException("simulated kill");
                    }
                  }
                });
    PreparedData data = PreparedDataStore.read(prepared);
    assertThatThrownBy(() -> killed.train(data)).hasMessage("simulated kill");
    String[] resume = {
      "train", "--data", prepared.toString(), "--out", out.toString(), "--epochs", "2", "--hidden", "16",
      "--latent", "4", "--threads", "1", "--resume"
    };

    // the sign bit of the user order's length, the first array's (after its name "order" and its kind byte);
    // before, a bare 'error: <negative number>' and a NegativeArraySizeException's stack trace
    Path arrays = checkpoint.resolve("arrays.bin");
    byte[] bytes = Files.readAllBytes(arrays);
    bytes[2 + "order".length() + 1] ^= (byte) 0x80;
    Files.write(arrays, bytes);
    Run damagedArrays = run(resume);
    assertThat(damagedArrays.code()).as(damagedArrays.err()).isEqualTo(1);
    assertThat(damagedArrays.err())
        .startsWith("error: " + arrays + ": checksum mismatch")
        .contains("the checkpoint is corrupt: train without resuming to start over")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(arrays).as("left as it was").hasBinaryContent(bytes);
    assertThat(out.resolve("model.json")).doesNotExist();

    // before, 'error: Unexpected character …' without the file
    Path meta = checkpoint.resolve("checkpoint.json");
    Files.writeString(meta, "not json");
    Run notJson = run(resume);
    assertThat(notJson.code()).as(notJson.err()).isEqualTo(1);
    assertThat(notJson.err())
        .startsWith("error: " + meta + ": is not valid JSON: ")
        .contains("the checkpoint is corrupt")
        .doesNotContain("\tat ");
    assertThat(meta).hasContent("not json");
  }

  // ---------------------------------------------------------------- recommend-all, serve, bench

  @Test
  void recommendAllWritesKLinesPerUserEqualToTheRecommendersAnswers() throws IOException {
    Path out = dir.resolve("recs.csv");
    Run all =
        run("recommend-all", "--model", model.toString(), "--data", prepared.toString(), "-k", "5", "--out",
            out.toString(), "--batch-size", "64", "--threads", "3", "--compare-products", "--json");
    assertThat(all.code()).as(all.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(all.out());
    org.vaecf.data.split.PreparedData data = org.vaecf.data.split.PreparedDataStore.read(prepared);
    int users = data.train().rows() + data.validation().size() + data.test().size();
    assertThat(summary.get("users").asInt()).isEqualTo(users);
    assertThat(summary.get("skippedUsers").asInt()).isZero();
    assertThat(summary.get("ratio").asDouble()).isPositive();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("user,rank,item,score");
    assertThat(lines).hasSize(1 + 5 * users);
    try (java.util.stream.Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(Path::getFileName).map(Path::toString)).as("the partial file is renamed, not left")
          .noneMatch(name -> name.contains(".part-"));
    }

    // the first training user (first batch) and the last (eighth batch, the other network): the items the
    // recommender gives for all of their items, at the line where that user's block starts
    try (org.vaecf.infer.Recommender recommender =
        new org.vaecf.infer.Recommender(org.vaecf.io.ModelBundle.read(model))) {
      for (int row : new int[] {0, data.train().rows() - 1}) {
        String user = data.trainUsers().rawId(row);
        List<String> history = new ArrayList<>();
        for (int item : data.train().row(row)) {
          history.add(data.items().rawId(item));
        }
        org.vaecf.infer.Recommendation expected = recommender.recommend(history, 5);
        for (int rank = 1; rank <= 5; rank++) {
          String[] fields = lines.get(row * 5 + rank).split(",");
          assertThat(fields[0]).isEqualTo(user);
          assertThat(fields[1]).isEqualTo(Integer.toString(rank));
          assertThat(fields[2]).isEqualTo(expected.items().get(rank - 1).id()).isNotIn(history);
          assertThat(Double.parseDouble(fields[3]))
              .isCloseTo(expected.items().get(rank - 1).score(), org.assertj.core.api.Assertions.within(1e-6));
        }
      }
    }
  }

  @Test
  void recommendAllReadsARawLogAndSkipsUsersWithNoKnownItem() throws IOException {
    Path extra = dir.resolve("extra.tsv");
    Files.writeString(extra, "who\twhat\twhen\nstranger\tunknown-item\t1\n");
    Path out = dir.resolve("recs-log.csv");
    Run all =
        run("recommend-all", "--model", model.toString(), "--input", log.toString(), "--input", extra.toString(),
            "--format", "csv", "--delimiter", "tab", "--columns", "who,what,-,when", "-k", "3", "--out",
            out.toString(), "--json");
    assertThat(all.code()).as(all.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(all.out());
    assertThat(summary.get("skippedUsers").asInt()).isEqualTo(1);
    assertThat(summary.get("unknownItemIds").asLong()).isGreaterThanOrEqualTo(1);
    int users = summary.get("users").asInt();
    assertThat(users).isBetween(590, 600);
    assertThat(Files.readAllLines(out)).hasSize(1 + 3 * users);
    assertThat(all.err()).contains("skipped 1 users with no item known to the model");
  }

  @Test
  void recommendAllListsEachUserOfAPerUserSplitOnceWithAllTheirItems() throws IOException {
    Path perUser = dir.resolve("prepared-user-ratio");
    Run prepare =
        run("prepare", "--input", log.toString(), "--format", "csv", "--delimiter", "tab", "--columns",
            "who,what,-,when", "--protocol", "user-ratio", "--out", perUser.toString());
    assertThat(prepare.code()).as(prepare.err()).isZero();
    org.vaecf.data.split.PreparedData data = org.vaecf.data.split.PreparedDataStore.read(perUser);
    assertThat(data.validation().size()).as("validation users are training users too").isPositive();
    Path out = dir.resolve("recs-user-ratio.csv");
    Run all =
        run("recommend-all", "--model", model.toString(), "--data", perUser.toString(), "-k", "1000", "--out",
            out.toString(), "--json");
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(new ObjectMapper().readTree(all.out()).get("users").asInt()).isEqualTo(data.train().rows());
    java.util.Map<String, java.util.Set<String>> recommended = new java.util.HashMap<>();
    List<String> lines = Files.readAllLines(out);
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",");
      assertThat(recommended.computeIfAbsent(fields[0], u -> new java.util.HashSet<>()).add(fields[2]))
          .as("user %s is listed once: item %s once", fields[0], fields[2]).isTrue();
    }
    assertThat(recommended).hasSize(data.train().rows());
    // a validation user's recommendations leave out their training, fold-in and held-out items alike
    String user = data.validation().users().rawId(0);
    java.util.Set<String> history = new java.util.HashSet<>();
    int trainRow = data.trainUsers().indexOf(user).orElseThrow();
    for (int item : data.train().row(trainRow)) {
      history.add(data.items().rawId(item));
    }
    for (int item : data.validation().heldOut().row(0)) {
      history.add(data.items().rawId(item));
    }
    assertThat(data.validation().heldOut().row(0)).isNotEmpty();
    assertThat(recommended.get(user)).doesNotContainAnyElementsOf(history).isNotEmpty();
  }

  @Test
  void recommendAllBinarisesTheRatingsOfALogAsPrepareDoes() throws IOException {
    Path rated = dir.resolve("rated.csv");
    Files.writeString(rated, "user,item,rating\nfan,i1,5.0\nfan,i2,4.0\nfan,i3,1.0\ncritic,i4,2.0\n");
    Path out = dir.resolve("recs-rated.csv");
    Run all =
        run("recommend-all", "--model", model.toString(), "--input", rated.toString(), "--format", "csv",
            "--columns", "user,item,rating", "-k", "1000", "--out", out.toString(), "--json");
    assertThat(all.code()).as(all.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(all.out());
    assertThat(summary.get("interactionsBelowThreshold").asLong()).isEqualTo(2);
    assertThat(summary.get("usersWithoutPositives").asInt()).isEqualTo(1);
    assertThat(summary.get("users").asInt()).isEqualTo(1);
    assertThat(all.err()).contains("ignored 2 interactions rated at or below the threshold; 1 users had none above it");
    assertThat(recommendedItems(out, "fan")).contains("i3").doesNotContain("i1", "i2"); // a 1-star film is no click

    Run all2 =
        run("recommend-all", "--model", model.toString(), "--input", rated.toString(), "--format", "csv",
            "--columns", "user,item,rating", "--threshold", "none", "-k", "1000", "--out", out.toString(), "--json");
    assertThat(all2.code()).as(all2.err()).isZero();
    assertThat(new ObjectMapper().readTree(all2.out()).get("users").asInt()).isEqualTo(2);
    assertThat(recommendedItems(out, "fan")).doesNotContain("i1", "i2", "i3");

    Run bad =
        run("recommend-all", "--model", model.toString(), "--input", rated.toString(), "--format", "csv",
            "--columns", "user,item,rating", "--threshold", "high", "--out", out.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--threshold must be a number or 'none', got 'high'");
    Run withData =
        run("recommend-all", "--model", model.toString(), "--data", prepared.toString(), "--threshold", "4",
            "--out", out.toString());
    assertThat(withData.code()).isEqualTo(2);
    assertThat(withData.err()).contains("--threshold applies to --input");
  }

  private static List<String> recommendedItems(Path csv, String user) throws IOException {
    return Files.readAllLines(csv).stream()
        .map(line -> line.split(","))
        .filter(fields -> fields[0].equals(user))
        .map(fields -> fields[2])
        .toList();
  }

  @Test
  void recommendAllServeAndBenchRefuseBadOptionsAsUsageErrors() {
    Run noSource = run("recommend-all", "--model", model.toString(), "--out", dir.resolve("x.csv").toString());
    assertThat(noSource.code()).isEqualTo(2);
    assertThat(noSource.err()).contains("--data").contains("--input");
    Run badK =
        run("recommend-all", "--model", model.toString(), "--data", prepared.toString(), "-k", "0", "--out",
            dir.resolve("x.csv").toString());
    assertThat(badK.code()).isEqualTo(2);
    assertThat(badK.err()).contains("-k must be > 0, got 0");
    Run badPort = run("serve", "--model", model.toString(), "--port", "70000");
    assertThat(badPort.code()).isEqualTo(2);
    assertThat(badPort.err()).contains("port must be in [0, 65535], got 70000");
    Run badWait = run("serve", "--model", model.toString(), "--max-wait-ms", "-1");
    assertThat(badWait.code()).isEqualTo(2);
    assertThat(badWait.err()).contains("--max-wait-ms must be >= 0, got -1.0"); // in the option's own unit
    Run noModel = run("serve", "--model", dir.resolve("absent").toString(), "--port", "0");
    assertThat(noModel.code()).isEqualTo(1);
    assertThat(noModel.err()).contains("absent").doesNotContain("\tat ");
    Run badBench = run("bench", "serve", "--connections", "0");
    assertThat(badBench.code()).isEqualTo(2);
    assertThat(badBench.err()).contains("--connections must be > 0, got 0");
  }

  @Test
  void serveOptionsMapOntoTheServerConfiguration() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .parseArgs("--model", "m", "--host", "0.0.0.0", "--port", "9000", "--threads", "1", "--scorers", "2",
            "--max-batch", "16", "--max-wait-ms", "0.5", "--max-items", "20", "--max-k", "50", "--drain-seconds", "3");
    org.vaecf.server.ServerConfig config = serve.config();
    assertThat(config.modelDir()).isEqualTo(Path.of("m"));
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.threads()).isEqualTo(1);
    assertThat(config.scorers()).isEqualTo(2);
    assertThat(config.maxBatch()).isEqualTo(16);
    assertThat(config.maxWait()).isEqualTo(java.time.Duration.ofNanos(500_000));
    assertThat(config.limits().maxItems()).isEqualTo(20);
    assertThat(config.limits().maxK()).isEqualTo(50);
    assertThat(config.drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(3));
    ServeCommand defaults = new ServeCommand();
    new CommandLine(defaults).parseArgs("--model", "m");
    assertThat(defaults.config().host()).isEqualTo("127.0.0.1");
    assertThat(defaults.config().port()).isEqualTo(8080);
  }
}
