package org.vaecf.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.TrainingListener;

/** The β search on planted-structure data: which β it picks, and how each run's β moves. */
class BetaSearchTest {
  private static final int EPOCHS = 12;
  private static PreparedData data;
  private static BetaSearch.Result result;

  @BeforeAll
  static void search() {
    data =
        StrongGeneralizationConfig.defaults(60)
            .splitter()
            .split(new SyntheticData(SyntheticData.Settings.demo().withSize(700, 200)).generate());
    TrainConfig base = TrainConfig.builder(ModelType.MULT_VAE).epochs(EPOCHS).batchSize(100).threads(1).build();
    ModelConfig small = ModelConfig.defaults(ModelType.MULT_VAE).withHiddenDims(List.of(32)).withLatentDim(8);
    result = new BetaSearch(small, base, name -> new TrainingListener() {}).run(data, List.of(0.0, 0.3));
  }

  @Test
  void chosenBetaIsTheBetaOfTheAnnealingRunsBestEpoch() {
    List<EpochRecord> history = result.annealing().model().training().history();
    EpochRecord best = history.stream().max(java.util.Comparator.comparingDouble(EpochRecord::validation)).orElseThrow();
    assertThat(result.chosenBeta()).isEqualTo(best.beta());
    assertThat(result.peakAtEnd()).isEqualTo(best.epoch() == EPOCHS);
    assertThat(result.annealing().curve()).hasSize(EPOCHS);
  }

  @Test
  void annealingReachesOneAfterEightyPercentOfTheSteps() {
    // 580 training users in batches of 100: 6 steps per epoch, 72 in all; auto reaches 1 at step 0.8 · 72 = 57.6,
    // rounded to 58 steps so that the retrained run can be given the same rate as a step count
    List<EpochRecord> history = result.annealing().model().training().history();
    assertThat(history.get(0).steps()).isEqualTo(6);
    assertThat(history.get(0).beta()).isCloseTo(5 / 58.0, within(1e-6)); // β of the epoch's last step, 5
    assertThat(history.get(EPOCHS - 1).beta()).isEqualTo(1.0);
  }

  @Test
  void retrainedRunAnnealsAtTheSameRateAndStopsAtTheChosenBeta() {
    List<EpochRecord> annealing = result.annealing().model().training().history();
    List<EpochRecord> retrained = result.retrained().model().training().history();
    for (int e = 0; e < EPOCHS; e++) {
      assertThat(retrained.get(e).beta())
          .isCloseTo(Math.min(result.chosenBeta(), annealing.get(e).beta()), within(1e-6));
    }
    assertThat(result.retrained().cap()).isEqualTo(result.chosenBeta());
  }

  @Test
  void constantRunsHoldTheirBetaFromTheSecondStep() {
    assertThat(result.constant()).extracting(BetaSearch.Run::cap).containsExactly(0.0, 0.3);
    for (EpochRecord epoch : result.constant().get(1).model().training().history()) {
      assertThat(epoch.beta()).isCloseTo(0.3, within(1e-6));
    }
    assertThat(result.constant().get(0).model().training().history().get(EPOCHS - 1).kl()).isPositive();
  }

  @Test
  void badInputNamesTheProblem() {
    TrainConfig base = TrainConfig.builder(ModelType.MULT_DAE).epochs(1).build();
    assertThatThrownBy(() -> new BetaSearch(ModelConfig.defaults(ModelType.MULT_DAE), base, n -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the β search needs mult-vae; mult-dae has no KL term");
    BetaSearch search =
        new BetaSearch(ModelConfig.defaults(ModelType.MULT_VAE), base, n -> new TrainingListener() {});
    assertThatThrownBy(() -> search.run(data, List.of(0.2, -0.1)))
        .hasMessage("every β of the grid must be >= 0, got -0.1");
  }
}
