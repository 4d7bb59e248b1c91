package org.vaecf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;

/** Checkpoints: a run stopped anywhere and resumed ends with the same weights, bit for bit, as one never stopped. */
class TrainerCheckpointTest {
  private static PreparedData data;
  private static final ModelConfig MODEL =
      ModelConfig.defaults(ModelType.MULT_VAE).withHiddenDims(List.of(40)).withLatentDim(12);

  @BeforeAll
  static void prepare() {
    SyntheticData.Settings settings = SyntheticData.Settings.demo().withSize(700, 300);
    data = StrongGeneralizationConfig.defaults(60).splitter().split(new SyntheticData(settings).generate());
  }

  private static TrainConfig config(int epochs) {
    return TrainConfig.builder(ModelType.MULT_VAE).epochs(epochs).batchSize(100).threads(2).seed(11).build();
  }

  private static void assertSameWeights(TrainedModel actual, TrainedModel expected) {
    for (NamedTensor tensor : expected.weights().tensors()) {
      assertThat(actual.weights().get(tensor.name()).toArray()).as(tensor.name()).isEqualTo(tensor.toArray());
    }
    assertThat(actual.training().bestEpoch()).isEqualTo(expected.training().bestEpoch());
    assertThat(actual.training().history()).hasSameSizeAs(expected.training().history());
    for (int e = 0; e < expected.training().history().size(); e++) {
      assertThat(actual.training().history().get(e).validation())
          .isEqualTo(expected.training().history().get(e).validation());
      assertThat(actual.training().history().get(e).nll()).isEqualTo(expected.training().history().get(e).nll());
    }
  }

  /** A listener that asks the trainer to stop at (epoch, batch). */
  private static TrainingListener stopAt(Trainer trainer, int epoch, int batch) {
    return new TrainingListener() {
      @Override
      public void onStep(int e, int b, int batches, long users) {
        if (e == epoch && b == batch) {
          trainer.requestStop();
        }
      }
    };
  }

  /** A listener that fails hard at (epoch, batch), as if the process were killed: no checkpoint is written then. */
  private static TrainingListener crashAt(int epoch, int batch) {
    return new TrainingListener() {
      @Override
      public void onStep(int e, int b, int batches, long users) {
        if (e == epoch && b == batch) {
          throw new IllegalStateException("simulated kill");
        }
      }
    };
  }

  /** A checkpoint left by a run killed in epoch 2 (so the one written at the end of epoch 1), in {@code dir}. */
  private static Path crashedCheckpoint(Path dir) {
    Path checkpoints = dir.resolve(".checkpoint");
    Trainer first = new Trainer(MODEL, config(3)).checkpointTo(checkpoints).addListener(crashAt(2, 1));
    assertThatThrownBy(() -> first.train(data)).hasMessage("simulated kill");
    return checkpoints;
  }

  @Test
  void stoppingMidEpochAndResumingGivesTheSameWeights(@TempDir Path dir) {
    TrainedModel reference = new Trainer(MODEL, config(4)).train(data);
    Path checkpoints = dir.resolve(".checkpoint");
    Trainer first = new Trainer(MODEL, config(4)).checkpointTo(checkpoints);
    first.addListener(stopAt(first, 2, 3));
    assertThatThrownBy(() -> first.train(data))
        .isInstanceOf(TrainingStoppedException.class)
        .hasMessageContaining("epoch 2");
    assertThat(checkpoints.resolve("checkpoint.json")).exists();
    TrainedModel resumed = new Trainer(MODEL, config(4)).checkpointTo(checkpoints).resume(true).train(data);
    assertSameWeights(resumed, reference);
  }

  @Test
  void aCrashResumesFromTheLastEpochCheckpoint(@TempDir Path dir) {
    TrainedModel reference = new Trainer(MODEL, config(4)).train(data);
    Path checkpoints = dir.resolve(".checkpoint");
    Trainer first = new Trainer(MODEL, config(4)).checkpointTo(checkpoints).addListener(crashAt(3, 2));
    assertThatThrownBy(() -> first.train(data)).hasMessage("simulated kill");
    TrainedModel resumed = new Trainer(MODEL, config(4)).checkpointTo(checkpoints).resume(true).train(data);
    assertSameWeights(resumed, reference);
  }

  @Test
  void resumingWithoutACheckpointStartsOver(@TempDir Path dir) {
    TrainedModel reference = new Trainer(MODEL, config(2)).train(data);
    TrainedModel resumed =
        new Trainer(MODEL, config(2)).checkpointTo(dir.resolve(".checkpoint")).resume(true).train(data);
    assertSameWeights(resumed, reference);
  }

  @Test
  void aCheckpointOfOtherSettingsIsRefused(@TempDir Path dir) {
    Path checkpoints = dir.resolve(".checkpoint");
    Trainer first = new Trainer(MODEL, config(3)).checkpointTo(checkpoints).addListener(crashAt(2, 1));
    assertThatThrownBy(() -> first.train(data)).hasMessage("simulated kill");
    TrainConfig otherSeed = TrainConfig.builder(ModelType.MULT_VAE).epochs(3).batchSize(100).threads(2).seed(12)
        .build();
    assertThatThrownBy(() -> new Trainer(MODEL, otherSeed).checkpointTo(checkpoints).resume(true).train(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other settings or data");
  }

  @Test
  void aCorruptCheckpointIsReportedNotUsed(@TempDir Path dir) throws Exception {
    Path checkpoints = crashedCheckpoint(dir);
    Path arrays = checkpoints.resolve("arrays.bin");
    byte[] bytes = Files.readAllBytes(arrays);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(arrays, bytes);
    assertThatThrownBy(() -> new Trainer(MODEL, config(3)).checkpointTo(checkpoints).resume(true).train(data))
        .hasMessageContaining("arrays.bin")
        .hasMessageContaining("checksum");
  }

  @Test
  void aLengthHeaderFlippedNegativeIsReportedNotUsed(@TempDir Path dir) throws Exception {
    Path checkpoints = crashedCheckpoint(dir);
    Path arrays = checkpoints.resolve("arrays.bin");
    byte[] bytes = Files.readAllBytes(arrays);
    bytes[CheckpointFilesTest.ORDER_LENGTH_AT] ^= (byte) 0x80; // the sign bit of the user order's length
    Files.write(arrays, bytes);

    // before, a NegativeArraySizeException
    assertThatThrownBy(() -> new Trainer(MODEL, config(3)).checkpointTo(checkpoints).resume(true).train(data))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(arrays + ": checksum mismatch")
        .hasMessageContaining("train without resuming to start over");
    assertThat(arrays).as("left as it was").hasBinaryContent(bytes);
  }

  @Test
  void aCheckpointJsonMissingAFieldIsReportedNotUsed(@TempDir Path dir) throws Exception {
    Path checkpoints = crashedCheckpoint(dir);
    CheckpointFilesTest.editJson(checkpoints, json -> json.remove("history"));

    // before, a NullPointerException
    assertThatThrownBy(() -> new Trainer(MODEL, config(3)).checkpointTo(checkpoints).resume(true).train(data))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(checkpoints.resolve("checkpoint.json") + ": field history is missing")
        .hasMessageContaining("train without resuming to start over");
  }

  @ParameterizedTest(name = "{0} + 1")
  @ValueSource(strings = {"adamStep", "batchesDone"})
  void aCheckpointWhosePositionDoesNotAddUpIsRefused(String field, @TempDir Path dir) throws Exception {
    // valid JSON with one count off by one; before, training resumed from it (and Adam replayed its step sizes up to
    // whatever adamStep said)
    Path checkpoints = crashedCheckpoint(dir);
    CheckpointFilesTest.editJson(checkpoints, json -> json.put(field, json.get(field).asLong() + 1));

    assertThatThrownBy(() -> new Trainer(MODEL, config(3)).checkpointTo(checkpoints).resume(true).train(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the checkpoint in " + checkpoints + " is inconsistent")
        .hasMessageContaining("train without --resume to start over");
  }

  @Test
  void divergenceNamesTheEpochStepAndTensorAndKeepsTheBestModel() {
    TrainConfig reckless =
        TrainConfig.builder(ModelType.MULT_VAE).epochs(3).batchSize(100).threads(1).seed(11).learningRate(1e30f)
            .build();
    assertThatThrownBy(() -> new Trainer(MODEL, reckless).train(data))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("training diverged at epoch 1, step")
        .hasMessageContaining("not finite");
  }
}
