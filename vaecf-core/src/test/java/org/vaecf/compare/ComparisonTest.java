package org.vaecf.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaecf.baseline.EaseConfig;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.SharedFixtures;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.eval.MetricParser;
import org.vaecf.model.ModelConfig;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.TrainingListener;

/** The comparison of recommenders: numbers against an independent NumPy run, and the planted-structure ordering. */
class ComparisonTest {
  private static Comparison comparison(int epochs) {
    return new Comparison(
        ModelConfig::defaults,
        type -> TrainConfig.builder(type).epochs(epochs).threads(2).build(),
        EaseConfig.defaults().withThreads(2),
        MetricParser.parseList("ndcg@100,recall@20,recall@50"),
        2,
        contender -> new TrainingListener() {});
  }

  /**
   * ml-100k with the notebook's split (100 held-out users, NumPy legacy RNG). An independent NumPy EASE on the same
   * split, choosing λ from the same grid on the validation users, picks λ = 200 and reaches test NDCG@100 0.481;
   * popularity reaches 0.259.
   */
  @Test
  void easeAndPopularityMatchAnIndependentNumPyRunOnMl100k() {
    Path file = SharedFixtures.require("data/ml-100k/u.data");
    PreparedData data =
        StrongGeneralizationConfig.defaults(100)
            .splitter()
            .split(new InteractionReader(ReaderOptions.of(InteractionFormat.MOVIELENS_100K)).read(file));
    Comparison comparison = comparison(1);
    ComparisonRow ease = comparison.run(data, Contender.EASE);
    assertThat(ease.choices().get("lambda")).isEqualTo(200.0);
    assertThat(ease.test().value("ndcg@100")).isCloseTo(0.481, within(0.005));
    ComparisonRow popularity = comparison.run(data, Contender.POPULARITY);
    assertThat(popularity.test().value("ndcg@100")).isCloseTo(0.2588, within(0.001));
    assertThat(popularity.test().userRows()).isEqualTo(ease.test().userRows());
  }

  @Test
  void onPlantedStructureTheLearnedModelsBeatPopularity() {
    PreparedData data =
        StrongGeneralizationConfig.defaults(100)
            .splitter()
            .split(new SyntheticData(SyntheticData.Settings.demo().withSize(1200, 400)).generate());
    Comparison comparison = comparison(40);
    double popularity = comparison.run(data, Contender.POPULARITY).test().value("ndcg@100");
    double ease = comparison.run(data, Contender.EASE).test().value("ndcg@100");
    ComparisonRow dae = comparison.run(data, Contender.MULT_DAE);
    assertThat(ease).isGreaterThan(1.3 * popularity);
    assertThat(dae.test().value("ndcg@100")).isGreaterThan(1.3 * popularity);
    assertThat(dae.choices()).containsKeys("bestEpoch", "validation");
    assertThat(dae.seconds()).isPositive();
  }

  @Test
  void unknownContenderNamesTheValidOnes() {
    assertThat(Contender.fromCliName(" EASE ")).isEqualTo(Contender.EASE);
    assertThatThrownBy(() -> Contender.fromCliName("svd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown model 'svd'; expected one of mult-vae, mult-dae, ease, popularity");
    assertThat(List.of(Contender.values())).extracting(c -> c.modelType().isPresent())
        .containsExactly(true, true, false, false);
  }
}
