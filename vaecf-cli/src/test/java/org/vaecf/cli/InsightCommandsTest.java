package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.data.Interactions;
import org.vaecf.data.synthetic.SyntheticData;

/** compare, tune-beta and the progress output of train, end to end on a small synthetic log. */
class InsightCommandsTest {
  @TempDir static Path dir;
  private static Path prepared;

  @BeforeAll
  static void prepare() throws IOException {
    Interactions synthetic = new SyntheticData(SyntheticData.Settings.demo().withSize(500, 200)).generate();
    Path log = dir.resolve("log.csv");
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < synthetic.size(); k++) {
      lines.add(synthetic.users().rawId(synthetic.user(k)) + "," + synthetic.items().rawId(synthetic.item(k)));
    }
    Files.write(log, lines);
    prepared = dir.resolve("prepared");
    CliTest.Run run = CliTest.run("prepare", "--input", log.toString(), "--format", "csv", "--no-header",
        "--heldout-users", "50", "--out", prepared.toString());
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void compareJsonHasOneObjectPerModelWithTheContractKeys() throws IOException {
    CliTest.Run run = CliTest.run("compare", "--data", prepared.toString(), "--models", "ease,popularity", "--json",
        "--ease-lambdas", "10,100", "--threads", "1");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode array = new ObjectMapper().readTree(run.out()); // standard output holds the JSON alone
    assertThat(array).hasSize(2);
    assertThat(array.get(0).get("model").asText()).isEqualTo("ease");
    assertThat(array.get(1).get("model").asText()).isEqualTo("popularity");
    for (JsonNode row : array) {
      for (String key : List.of("ndcg@100", "recall@20", "recall@50")) {
        assertThat(row.get(key).asDouble()).as(key).isBetween(0.0, 1.0);
        assertThat(row.get("standardErrors").get(key).asDouble()).isPositive();
      }
      assertThat(row.get("seconds").asDouble()).isNotNegative();
      assertThat(row.get("users").asInt()).isEqualTo(50);
    }
    assertThat(array.get(0).get("lambda").asDouble()).isIn(10.0, 100.0);
    assertThat(array.get(0).get("ndcg@100").asDouble()).isGreaterThan(array.get(1).get("ndcg@100").asDouble());
  }

  @Test
  void compareTableShowsEveryModelWithTrainingProgressAbove() {
    CliTest.Run run = CliTest.run("compare", "--data", prepared.toString(), "--models", "mult-dae,popularity",
        "--epochs", "2", "--threads", "1");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("fitting mult-dae…").contains("mult-dae epoch 1/2").contains("mult-dae epoch 2/2")
        .contains("test users of").containsPattern("(?m)^mult-dae +0\\.\\d{4} ± 0\\.\\d{4}")
        .containsPattern("(?m)^popularity +0\\.\\d{4} ± ").contains("epoch ");
  }

  @Test
  void compareRejectsUnknownModelsAndBadLambdasAsUsageErrors() {
    CliTest.Run unknown = CliTest.run("compare", "--data", prepared.toString(), "--models", "ease,svd");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown model 'svd'; expected one of mult-vae, mult-dae, ease, popularity");
    CliTest.Run lambda = CliTest.run("compare", "--data", prepared.toString(), "--ease-lambdas", "100,-5");
    assertThat(lambda.code()).isEqualTo(2);
    assertThat(lambda.err()).contains("every EASE lambda must be > 0 and finite, got -5.0");
  }

  @Test
  void trainPrintsOneLinePerEpochWhenNotOnATerminalAndNothingWhenQuiet() {
    CliTest.Run lines = CliTest.run("train", "--data", prepared.toString(), "--out", dir.resolve("m1").toString(),
        "--epochs", "3", "--hidden", "16", "--latent", "4", "--threads", "1");
    assertThat(lines.code()).as(lines.err()).isZero();
    assertThat(lines.out()).doesNotContain("\r").containsPattern(
        "(?m)^epoch 1/3  loss \\d+\\.\\d\\d  nll \\d+\\.\\d\\d  kl \\d+\\.\\d\\d  β 0\\.\\d{3}  ndcg@100 0\\.\\d{4}");
    assertThat(lines.out().lines().filter(l -> l.startsWith("epoch ")).count()).isEqualTo(3);
    CliTest.Run quiet = CliTest.run("train", "--data", prepared.toString(), "--out", dir.resolve("m2").toString(),
        "--epochs", "3", "--hidden", "16", "--latent", "4", "--threads", "1", "--quiet");
    assertThat(quiet.code()).as(quiet.err()).isZero();
    assertThat(quiet.out()).doesNotContain("epoch 1/3").contains("best epoch");
    assertThat(dir.resolve("m2/history.csv")).exists();
  }

  @Test
  void tuneBetaReportsTheChosenBetaAndWritesItsCurve() throws IOException {
    Path out = dir.resolve("beta");
    CliTest.Run run = CliTest.run("tune-beta", "--data", prepared.toString(), "--out", out.toString(), "--epochs",
        "4", "--grid", "0.2", "--threads", "1", "--quiet");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.resolve("beta-search.json").toFile());
    double chosen = json.get("chosenBeta").asDouble();
    assertThat(run.out()).contains(String.format(java.util.Locale.ROOT, "chosen β = %.4f", chosen))
        .contains("← peak").contains("constant β = 0.2");
    assertThat(json.get("annealing").get("curve")).hasSize(4);
    assertThat(json.get("annealing").get("cap").asDouble()).isEqualTo(1.0);
    assertThat(json.get("retrained").get("cap").asDouble()).isEqualTo(chosen);
    assertThat(json.get("constant")).hasSize(1);
    assertThat(out.resolve("beta-search.png")).exists();
    assertThat(out.resolve("anneal/model.json")).exists();
    assertThat(out.resolve("retrained/history.csv")).exists();
    CliTest.Run dae = CliTest.run("tune-beta", "--data", prepared.toString(), "--grid", "0.1,x");
    assertThat(dae.code()).isEqualTo(2);
    assertThat(dae.err()).contains("--grid must be comma-separated numbers, got '0.1,x'");
  }
}
