package org.vaecf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vaecf.model.ModelType;

class AnnealScheduleTest {
  @Test
  void betaGrowsLinearlyFromZeroToTheCap() {
    AnnealSchedule paper = new AnnealSchedule(0.2, 200_000);
    assertThat(paper.beta(0)).isEqualTo(0.0);
    assertThat(paper.beta(20_000)).isEqualTo(0.1);
    assertThat(paper.beta(40_000)).isEqualTo(0.2);
    assertThat(paper.beta(1_000_000)).isEqualTo(0.2);
  }

  @Test
  void autoReachesTheCapAfterEightyPercentOfThePlannedSteps() {
    AnnealSchedule auto = AnnealSchedule.auto(0.2, 400); // ml-100k: 200 epochs × 2 batches
    assertThat(auto.totalSteps()).isEqualTo(1600.0);
    assertThat(auto.beta(319)).isLessThan(0.2);
    assertThat(auto.beta(320)).isEqualTo(0.2);
    assertThat(AnnealSchedule.auto(0.0, 400).beta(399)).isEqualTo(0.0);
  }

  @Test
  void theConfigurationPicksAutoUnlessAStepCountIsGiven() {
    TrainConfig auto = TrainConfig.builder(ModelType.MULT_VAE).build();
    assertThat(auto.annealSchedule(1000).totalSteps()).isEqualTo(4000.0);
    TrainConfig fixed =
        TrainConfig.builder(ModelType.MULT_VAE).totalAnnealSteps(OptionalLong.of(200_000)).build();
    assertThat(fixed.annealSchedule(1000).totalSteps()).isEqualTo(200_000.0);
  }

  @Test
  void paperDefaultsDependOnTheModelOnlyThroughLambda() {
    TrainConfig vae = TrainConfig.builder(ModelType.MULT_VAE).build();
    TrainConfig dae = TrainConfig.builder(ModelType.MULT_DAE).build();
    assertThat(vae.l2()).isZero();
    assertThat(dae.l2()).isEqualTo(0.01f);
    assertThat(vae.epochs()).isEqualTo(200);
    assertThat(vae.batchSize()).isEqualTo(500);
    assertThat(vae.annealCap()).isEqualTo(0.2);
    assertThat(vae.adam()).isEqualTo(AdamSettings.PAPER);
    assertThat(vae.seed()).isEqualTo(98765L);
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> new AnnealSchedule(-0.1, 10)).hasMessage("annealCap must be >= 0, got -0.1");
    assertThatThrownBy(() -> TrainConfig.builder(ModelType.MULT_VAE).batchSize(0).build())
        .hasMessage("batchSize must be > 0, got 0");
    assertThatThrownBy(
            () -> TrainConfig.builder(ModelType.MULT_VAE).totalAnnealSteps(OptionalLong.of(0)).build())
        .hasMessage("totalAnnealSteps must be > 0, got 0");
  }
}
