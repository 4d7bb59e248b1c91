package org.vaecf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.nn.MultinomialLikelihood;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.SparseBatch;

/**
 * The training step, which fuses the output layer with the likelihood and updates the output weight block by block
 * as its gradient is computed, against the plain sequence — forward, likelihood, backward with every gradient
 * stored, then {@link Adam#step()} — over several steps of Mult-VAE and Mult-DAE.
 */
class TrainingStepTest {
  private static final int ITEMS = 2_500; // more than two update blocks of the output layer
  private static final int USERS = 40;

  private static CsrMatrix clicks() {
    SplittableRandom random = new SplittableRandom(8);
    CsrMatrix.Builder builder = new CsrMatrix.Builder(ITEMS);
    for (int u = 0; u < USERS; u++) {
      builder.addRow(random.ints(5 + u % 30, 0, ITEMS).distinct().sorted().toArray());
    }
    return builder.build();
  }

  private static void check(ModelType type) {
    ModelConfig config = ModelConfig.defaults(type).withHiddenDims(List.of(30)).withLatentDim(8);
    TrainConfig trainConfig = TrainConfig.builder(type).threads(2).seed(3).build();
    CsrMatrix data = clicks();
    int[] order = java.util.stream.IntStream.range(0, USERS).toArray();
    int batch = 10;
    int previousBlasThreads = Blas.threads();
    Blas.setThreads(1);
    try (Parallel parallel = new Parallel(2);
        Autoencoder fused = Autoencoder.initialize(config, ITEMS, batch, 3L, parallel);
        Autoencoder plain = Autoencoder.initialize(config, ITEMS, batch, 3L, parallel)) {
      AnnealSchedule anneal = AnnealSchedule.auto(0.2, 8);
      TrainingStep step = new TrainingStep(fused, trainConfig, anneal, parallel);
      Adam adam = new Adam(plain.parameters(), trainConfig.adam(), trainConfig.l2(), parallel);
      MultinomialLikelihood likelihood = new MultinomialLikelihood(parallel);
      SparseBatch input = new SparseBatch(batch);
      Matrix gradLogits = Matrix.zeros(batch, ITEMS);
      for (int s = 0; s < 4; s++) {
        int from = (s * batch) % USERS;
        List<TrainingStep.Part> parts = new ArrayList<>();
        TrainingStep.Losses losses = step.run(data, order, from, from + batch, s, parts::add);
        assertThat(parts).as("the parts reported, in order").containsExactly(TrainingStep.Part.values());
        assertThat(step.outputWeightUpdateMillis()).as("the output weight's update, timed").isPositive();

        plain.setStep(s);
        input.loadNormalized(data, order, from, from + batch);
        double nll = likelihood.lossAndGradient(plain.forward(input, true), input, gradLogits);
        float beta = type == ModelType.MULT_VAE ? (float) anneal.beta(s) : 0f;
        plain.backward(gradLogits, beta);
        adam.step();

        assertThat(losses.nll()).as("step %d NLL", s).isCloseTo(nll, within(1e-5 * nll));
        assertThat(losses.kl()).as("step %d KL", s).isCloseTo(plain.klDivergence(), within(1e-6));
      }
      step.synchronize();
      adam.flush();
      for (int p = 0; p < plain.parameters().size(); p++) {
        Parameter expected = plain.parameters().get(p);
        float[] actual = fused.parameters().get(p).value().toArray();
        float[] wanted = expected.value().toArray();
        for (int i = 0; i < wanted.length; i++) {
          assertThat(actual[i]).as("%s %s[%d]", type, expected.name(), i).isCloseTo(wanted[i], within(2e-6f));
        }
      }
    } finally {
      Blas.setThreads(Math.max(1, previousBlasThreads));
    }
  }

  @Test
  void fusedStepEqualsThePlainSequenceForMultVae() {
    check(ModelType.MULT_VAE);
  }

  @Test
  void fusedStepEqualsThePlainSequenceForMultDae() {
    check(ModelType.MULT_DAE);
  }
}
