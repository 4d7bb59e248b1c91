package org.vaecf.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaecf.linalg.Parallel;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.SparseLinear;

class AdamTest {
  private static Parameter parameter(boolean weight, float... values) {
    Parameter p = Parameter.zeros("p", 1, values.length, weight);
    p.value().copyFrom(values);
    return p;
  }

  @Test
  void firstStepMovesEachEntryByTheLearningRateAgainstItsGradient() {
    // After one step m = 0.1·g, v = 0.001·g², and lr·√(1−β₂)/(1−β₁)·m/(√v + ε) = lr·g/(|g| + ε/√0.001) ≈ lr·sign(g).
    Parameter p = parameter(false, 1f, 1f, 1f);
    p.gradient().copyFrom(new float[] {0.5f, -3f, 0f});
    try (Parallel parallel = new Parallel(1)) {
      new Adam(List.of(p), AdamSettings.PAPER, 0f, parallel).step();
    }
    assertThat(p.value().get(0, 0)).isCloseTo(1f - 1e-3f, offset(1e-7f));
    assertThat(p.value().get(0, 1)).isCloseTo(1f + 1e-3f, offset(1e-7f));
    assertThat(p.value().get(0, 2)).isEqualTo(1f);
  }

  @Test
  void secondStepFollowsTheTensorFlowFormula() {
    // g₁ = 1, g₂ = 0.5: m₂ = 0.9·0.1 + 0.1·0.5 = 0.14, v₂ = 0.999·0.001 + 0.001·0.25 = 0.001249,
    // step size = 1e-3·√(1−0.999²)/(1−0.9²) = 1e-3·0.0447102/0.19; update = 2.3532e-4 · 0.14/(0.0353412 + 1e-8).
    Parameter p = parameter(false, 0f);
    try (Parallel parallel = new Parallel(1)) {
      Adam adam = new Adam(List.of(p), AdamSettings.PAPER, 0f, parallel);
      p.gradient().copyFrom(new float[] {1f});
      adam.step();
      float afterFirst = p.value().get(0, 0);
      p.gradient().copyFrom(new float[] {0.5f});
      adam.step();
      double stepSize = 1e-3 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
      double expected = afterFirst - stepSize * 0.14 / (Math.sqrt(0.001249) + 1e-8);
      assertThat((double) p.value().get(0, 0)).isCloseTo(expected, offset(1e-7));
      assertThat(adam.steps()).isEqualTo(2);
    }
  }

  @Test
  void theL2PenaltyActsOnWeightsOnly() {
    // With a zero loss gradient the penalty λ·ΣW² gives g = 2λW > 0, so a positive weight shrinks by about lr;
    // a bias with the same value does not move.
    Parameter weight = parameter(true, 2f);
    Parameter bias = parameter(false, 2f);
    try (Parallel parallel = new Parallel(1)) {
      new Adam(List.of(weight, bias), AdamSettings.PAPER, 0.01f, parallel).step();
    }
    assertThat(weight.value().get(0, 0)).isCloseTo(2f - 1e-3f, offset(1e-6f));
    assertThat(bias.value().get(0, 0)).isEqualTo(2f);
  }

  @Test
  void threadCountDoesNotChangeTheUpdate() {
    float[] start = new float[100_000];
    float[] grad = new float[start.length];
    for (int i = 0; i < start.length; i++) {
      start[i] = (float) Math.sin(i);
      grad[i] = (float) Math.cos(i * 0.7);
    }
    float[][] results = new float[2][];
    for (int threads = 1; threads <= 2; threads++) {
      Parameter p = Parameter.zeros("p", 1, start.length, true);
      p.value().copyFrom(start);
      p.gradient().copyFrom(grad);
      try (Parallel parallel = new Parallel(threads)) {
        Adam adam = new Adam(List.of(p), AdamSettings.PAPER, 0.01f, parallel);
        adam.step();
        adam.step();
      }
      results[threads - 1] = p.value().toArray();
    }
    assertThat(results[1]).isEqualTo(results[0]);
  }

  @Test
  void settingsAreValidatedByName() {
    assertThatThrownBy(() -> new AdamSettings(0f, 0.9f, 0.999f, 1e-8f))
        .hasMessage("learningRate must be > 0, got 0.0");
    assertThatThrownBy(() -> new AdamSettings(1e-3f, 1f, 0.999f, 1e-8f)).hasMessageContaining("beta1");
  }


  @Test
  void lateRowUpdatesOfTheFirstLayerAreBitIdenticalToDenseAdam() {
    for (float l2 : new float[] {0f, 0.01f}) {
      int items = 40;
      int width = 24;
      try (Parallel parallel = new Parallel(2)) {
        SparseLinear layer = new SparseLinear("s", items, width, 4, parallel);
        Parameter sparse = layer.weight();
        Parameter dense = Parameter.zeros("d", items, width, true);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        float[] start = new float[items * width];
        for (int i = 0; i < start.length; i++) {
          start[i] = (float) random.nextGaussian();
        }
        sparse.value().copyFrom(start);
        dense.value().copyFrom(start);
        Adam lazy = new Adam(List.of(sparse), AdamSettings.PAPER, l2, parallel);
        Adam reference = new Adam(List.of(dense), AdamSettings.PAPER, l2, parallel);
        org.vaecf.linalg.Matrix upstream = org.vaecf.linalg.Matrix.zeros(4, width);
        for (int step = 0; step < 60; step++) {
          org.vaecf.data.CsrMatrix.Builder batch = new org.vaecf.data.CsrMatrix.Builder(items);
          for (int r = 0; r < 4; r++) {
            // few, skewed items per row, so that many rows sit untouched for many steps
            batch.addRow(random.ints(3, 0, random.nextInt(1, items)).distinct().toArray());
          }
          org.vaecf.nn.SparseBatch input = new org.vaecf.nn.SparseBatch(4).loadNormalized(batch.build());
          for (int i = 0; i < upstream.size(); i++) {
            upstream.buffer().put(i, (float) random.nextGaussian());
          }
          layer.forward(input);
          layer.backward(upstream);
          lazy.step();
          dense.gradient().copyFrom(sparse.gradient());
          reference.step();
        }
        lazy.flush();
        assertThat(sparse.value().toArray()).as("l2 = %s", l2).isEqualTo(dense.value().toArray());
      }
    }
  }
}
