package org.vaecf.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.nn.MultinomialLikelihood;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.SparseBatch;

/**
 * The whole training loss — multinomial NLL + β·KL for Mult-VAE, NLL for Mult-DAE — differentiated by the network's
 * backward pass, against central finite differences with the training noise held fixed (same step).
 */
class NetworkGradientTest {
  private static final Parallel PARALLEL = new Parallel(2);
  private static final int ITEMS = 10;
  private static final CsrMatrix CLICKS =
      new CsrMatrix.Builder(ITEMS)
          .addRow(new int[] {0, 2, 5, 9})
          .addRow(new int[] {1, 2, 3})
          .addRow(new int[] {4, 6, 7, 8, 9})
          .build();

  @AfterAll
  static void close() {
    PARALLEL.close();
  }

  private static double loss(Autoencoder network, SparseBatch input, float beta, Matrix gradient) {
    MultinomialLikelihood likelihood = new MultinomialLikelihood(PARALLEL);
    Matrix logits = network.forward(input, true);
    return likelihood.lossAndGradient(logits, input, gradient) + beta * network.klDivergence();
  }

  private static void checkWholeLoss(ModelConfig config, float beta) {
    Autoencoder network = Autoencoder.initialize(config, ITEMS, 3, 11L, PARALLEL);
    // Larger weights than the initialisation so that tanh and softmax are far from linear.
    for (Parameter p : network.parameters()) {
      FloatBuffer v = p.value().buffer();
      for (int i = 0; i < p.value().size(); i++) {
        v.put(i, v.get(i) * 2f + (p.weight() ? 0f : 0.1f * (i % 3)));
      }
    }
    network.setStep(4);
    SparseBatch input = new SparseBatch(3).loadNormalized(CLICKS);
    Matrix gradLogits = Matrix.zeros(3, ITEMS);
    loss(network, input, beta, gradLogits);
    network.backward(gradLogits, beta);
    Matrix scratch = Matrix.zeros(3, ITEMS);
    double h = 3e-3;
    for (Parameter p : network.parameters()) {
      float[] analytic = p.gradient().toArray();
      FloatBuffer v = p.value().buffer();
      for (int i = 0; i < p.value().size(); i++) {
        float original = v.get(i);
        v.put(i, original + (float) h);
        double plus = loss(network, input, beta, scratch);
        v.put(i, original - (float) h);
        double minus = loss(network, input, beta, scratch);
        v.put(i, original);
        double numeric = (plus - minus) / (2 * h);
        assertThat(Math.abs(numeric - analytic[i]))
            .as("%s %s[%d]: numeric %.6f analytic %.6f", config.type(), p.name(), i, numeric, analytic[i])
            .isLessThanOrEqualTo(3e-3 * Math.max(1.0, Math.abs(numeric)));
      }
    }
  }

  @Test
  void multVaeLossGradientMatchesFiniteDifferences() {
    checkWholeLoss(new ModelConfig(ModelType.MULT_VAE, List.of(6), 3, 0.5f), 0.3f);
  }

  @Test
  void deeperMultVaeLossGradientMatchesFiniteDifferences() {
    checkWholeLoss(new ModelConfig(ModelType.MULT_VAE, List.of(7, 5), 3, 0.2f), 1.0f);
  }

  @Test
  void multDaeLossGradientMatchesFiniteDifferences() {
    checkWholeLoss(new ModelConfig(ModelType.MULT_DAE, List.of(), 4, 0.5f), 0f);
    checkWholeLoss(new ModelConfig(ModelType.MULT_DAE, List.of(6), 3, 0.5f), 0f);
  }

  @Test
  void predictionIsDeterministicAndIgnoresTheStep() {
    Autoencoder network =
        Autoencoder.initialize(ModelConfig.defaults(ModelType.MULT_VAE).withHiddenDims(List.of(8)).withLatentDim(4),
            ITEMS, 3, 5L, PARALLEL);
    SparseBatch input = new SparseBatch(3).loadNormalized(CLICKS);
    network.setStep(1);
    float[] first = network.forward(input, false).toArray();
    network.setStep(2);
    float[] second = network.forward(input, false).toArray();
    assertThat(second).isEqualTo(first);
    network.setStep(1);
    float[] trainingOne = network.forward(input, true).toArray();
    network.setStep(2);
    float[] trainingTwo = network.forward(input, true).toArray();
    assertThat(trainingTwo).isNotEqualTo(trainingOne);
  }

  @Test
  void weightsRoundTripThroughASnapshot() {
    ModelConfig config = ModelConfig.defaults(ModelType.MULT_VAE).withHiddenDims(List.of(8)).withLatentDim(4);
    Autoencoder network = Autoencoder.initialize(config, ITEMS, 3, 5L, PARALLEL);
    Autoencoder copy = Autoencoder.fromWeights(config, ITEMS, network.snapshot(), 3, PARALLEL);
    SparseBatch input = new SparseBatch(3).loadNormalized(CLICKS);
    assertThat(copy.forward(input, false).toArray()).isEqualTo(network.forward(input, false).toArray());
    assertThat(network.snapshot().tensors()).extracting(NamedTensor::name)
        .containsExactly(
            "encoder.0.weight", "encoder.0.bias", "encoder.1.weight", "encoder.1.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.1.weight", "decoder.1.bias");
    assertThat(network.snapshot().get("encoder.1.weight").cols()).isEqualTo(8); // 2 · latent: µ and log σ²
  }
}
