package org.vaecf.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.TestModels;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;

/** history.json and history.csv: written with every bundle, exact content, checksummed in model.json. */
class HistoryFilesTest {
  private static final TrainingRecord RECORD =
      new TrainingRecord(
          7L, 2, Map.of("annealCap", 0.2, "totalAnnealSteps", "auto"), Map.of(), "ndcg@100", 2, 0.31,
          List.of(
              new EpochRecord(1, 510.5, 500.25, 52.5, 0.2, 0.25, 1.5, 0.001, 4),
              new EpochRecord(2, 480.0, 470.0, 50.0, 0.2, 0.31, 1.25, 0.001, 8),
              new EpochRecord(3, 470.0, 461.0, 45.0, 0.2, Double.NaN, 1.0, 0.001, 12)),
          "2026-11-25T00:00:00Z", "test");

  private static Path write(Path dir) {
    TrainedModel base = TestModels.small(3);
    Path bundle = dir.resolve("model");
    ModelBundle.write(new TrainedModel(base.config(), base.items(), base.weights(), RECORD), bundle);
    return bundle;
  }

  @Test
  void csvHasOneRowPerEpochNamedByTheMetric(@TempDir Path dir) throws IOException {
    List<String> lines = Files.readAllLines(write(dir).resolve("history.csv"));
    assertThat(lines).containsExactly(
        "epoch,loss,nll,kl,beta,ndcg@100,seconds,learning_rate,steps,best",
        "1,510.5,500.25,52.5,0.2,0.25,1.5,0.001,4,false",
        "2,480.0,470.0,50.0,0.2,0.31,1.25,0.001,8,true",
        "3,470.0,461.0,45.0,0.2,,1.0,0.001,12,false");
  }

  @Test
  void jsonHoldsTheSameRowsAndTheAnnealSettings(@TempDir Path dir) throws IOException {
    JsonNode json = new ObjectMapper().readTree(write(dir).resolve("history.json").toFile());
    assertThat(json.get("validationMetric").asText()).isEqualTo("ndcg@100");
    assertThat(json.get("bestEpoch").asInt()).isEqualTo(2);
    assertThat(json.get("annealCap").asDouble()).isEqualTo(0.2);
    assertThat(json.get("totalAnnealSteps").asText()).isEqualTo("auto");
    JsonNode epochs = json.get("epochs");
    assertThat(epochs).hasSize(3);
    assertThat(epochs.get(1).get("ndcg@100").asDouble()).isEqualTo(0.31);
    assertThat(epochs.get(1).get("kl").asDouble()).isEqualTo(50.0);
    assertThat(epochs.get(1).get("learningRate").asDouble()).isEqualTo(0.001);
    assertThat(epochs.get(1).get("best").asBoolean()).isTrue();
    assertThat(epochs.get(2).get("ndcg@100").isNull()).isTrue();
  }

  @Test
  void modelJsonRecordsTheirChecksumsAndTheBundleStillReads(@TempDir Path dir) throws IOException {
    Path bundle = write(dir);
    JsonNode files = new ObjectMapper().readTree(bundle.resolve("model.json").toFile()).get("files");
    byte[] csv = Files.readAllBytes(bundle.resolve("history.csv"));
    assertThat(files.get("history.csv").get("sha256").asText()).isEqualTo(ModelBundle.sha256(csv));
    assertThat(files.get("history.json").get("bytes").asLong()).isEqualTo(Files.size(bundle.resolve("history.json")));
    assertThat(ModelBundle.read(bundle).training()).isEqualTo(RECORD);
  }
}
