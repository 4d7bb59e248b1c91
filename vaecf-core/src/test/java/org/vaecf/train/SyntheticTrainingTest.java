package org.vaecf.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.MetricParser;
import org.vaecf.eval.PopularityScorer;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.ModelType;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;

/** Training on data with planted structure: the model must find it, and runs must be reproducible. */
class SyntheticTrainingTest {
  private static PreparedData data;

  @BeforeAll
  static void prepare() {
    SyntheticData.Settings settings = SyntheticData.Settings.demo().withSize(1500, 800);
    data = StrongGeneralizationConfig.defaults(150).splitter().split(new SyntheticData(settings).generate());
  }

  private static EvaluationResult evaluate(org.vaecf.eval.BatchScorer scorer) {
    return Evaluator.builder(MetricParser.parseList("ndcg@100,recall@20"))
        .batchSize(500)
        .threads(2)
        .build()
        .evaluate(scorer, data.test().foldIn(), data.test().heldOut());
  }

  private static TrainedModel train(ModelType type, int epochs, int threads) {
    TrainConfig config = TrainConfig.builder(type).epochs(epochs).threads(threads).seed(5).build();
    return new Trainer(ModelConfig.defaults(type).withHiddenDims(List.of(100)).withLatentDim(50), config)
        .train(data);
  }

  @Test
  void multVaeBeatsPopularityByAWideMargin() {
    TrainedModel model = train(ModelType.MULT_VAE, 100, 2);
    double vae;
    try (Parallel parallel = new Parallel(2)) {
      vae = evaluate(new ModelScorer(model.newNetwork(500, parallel))::score).value("ndcg@100");
    }
    double popularity = evaluate(new PopularityScorer(data.train())).value("ndcg@100");
    System.out.printf("synthetic test NDCG@100: Mult-VAE %.4f, popularity %.4f%n", vae, popularity);
    assertThat(vae).isGreaterThan(popularity * 1.5);
    assertThat(model.training().bestEpoch()).isBetween(1, 100);
    assertThat(model.training().history()).hasSize(100);
  }

  @Test
  void sameSeedAndThreadsGiveTheSameWeights() {
    TrainedModel first = train(ModelType.MULT_VAE, 3, 2);
    TrainedModel second = train(ModelType.MULT_VAE, 3, 2);
    for (NamedTensor tensor : first.weights().tensors()) {
      assertThat(second.weights().get(tensor.name()).toArray()).as(tensor.name()).isEqualTo(tensor.toArray());
    }
    assertThat(second.training().history().get(2).validation())
        .isEqualTo(first.training().history().get(2).validation());
  }

  @Test
  void aDifferentSeedGivesDifferentWeights() {
    TrainedModel first = train(ModelType.MULT_DAE, 1, 1);
    TrainConfig other = TrainConfig.builder(ModelType.MULT_DAE).epochs(1).threads(1).seed(6).build();
    TrainedModel second =
        new Trainer(ModelConfig.defaults(ModelType.MULT_DAE).withHiddenDims(List.of(100)).withLatentDim(50), other)
            .train(data);
    assertThat(second.weights().get("decoder.0.weight").toArray())
        .isNotEqualTo(first.weights().get("decoder.0.weight").toArray());
  }
}
