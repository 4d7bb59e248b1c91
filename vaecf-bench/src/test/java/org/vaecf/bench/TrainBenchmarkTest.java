package org.vaecf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vaecf.train.TrainingStep;

/** The benchmark's report: the parts of a step, and its word on a run whose steps allocated boxed vectors. */
class TrainBenchmarkTest {
  @Test
  void aCleanStepsGarbageIsNotFlagged() {
    assertThat(TrainBenchmark.boxingWarning(21 * 1024)).isEmpty();
    assertThat(TrainBenchmark.boxingWarning(256 * 1024)).isEmpty();
  }

  @Test
  void boxedStepsAreFlaggedWithTheirSizeAndHowToFindTheKernel() {
    assertThat(TrainBenchmark.boxingWarning(60_000 * 1024L))
        .hasValueSatisfying(line -> assertThat(line)
            .contains("allocated 60000 kB each")
            .contains("-XX:StartFlightRecording")
            .contains("jdk.ObjectAllocationSample"));
  }

  @Test
  void partsAreNamedInLowerCamelCase() {
    assertThat(TrainBenchmark.jsonName(TrainingStep.Part.INPUT)).isEqualTo("input");
    assertThat(TrainBenchmark.jsonName(TrainingStep.Part.FIRST_LAYER_BACKWARD)).isEqualTo("firstLayerBackward");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSmallRunReportsEveryPartOfTheStepAndTheOutputUpdateWithinItsPart() {
    TrainBenchmarkSettings settings =
        new TrainBenchmarkSettings(1_500, 700, 12, Optional.empty(), 4, 2, 2, 200, 1L);
    List<String> progress = new ArrayList<>();
    Map<String, Object> result = new TrainBenchmark(settings).run(progress::add);

    Map<String, Object> parts = (Map<String, Object>) result.get("msPerPart");
    assertThat(parts.keySet()).containsExactly(
        "input", "firstLayer", "innerForward", "outputProduct", "likelihood", "outputBackward", "innerBackward",
        "firstLayerBackward", "update");
    for (Map.Entry<String, Object> part : parts.entrySet()) {
      assertThat((Double) part.getValue()).as(part.getKey()).isNotNegative();
    }
    double outputUpdate = (Double) result.get("msOutputWeightUpdate");
    assertThat(outputUpdate).isPositive().isLessThanOrEqualTo((Double) parts.get("outputBackward"));
    double sum = parts.values().stream().mapToDouble(value -> (Double) value).sum();
    assertThat(sum).as("medians of the parts against the step's range")
        .isBetween(0.5 * (Double) result.get("msPerStepMin"), 2.0 * (Double) result.get("msPerStepMax"));
    assertThat((Double) result.get("ratio")).isPositive();
    assertThat(result.get("blasLibrary")).isEqualTo(org.vaecf.linalg.Blas.library());
    assertThat(progress).anyMatch(line -> line.startsWith("training 2 warm-up + 4 measured steps"));
  }
}
