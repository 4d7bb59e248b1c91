package org.vaecf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark's word on a run whose steps allocated boxed vectors. */
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
}
