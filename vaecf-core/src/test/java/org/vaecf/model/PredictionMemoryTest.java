package org.vaecf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.nn.Parameter;

/**
 * A network that only predicts holds no gradients (they are allocated by the first backward pass), and a closed
 * scorer refuses further use with an exception rather than touching freed memory.
 */
class PredictionMemoryTest {
  @Test
  void predictingAllocatesNoGradients() {
    TrainedModel model = TestModels.small(3);
    try (Parallel parallel = new Parallel(1);
        ModelScorer scorer = ModelScorer.snapshot(model.newNetwork(4, parallel))) {
      scorer.score(new CsrMatrix.Builder(TestModels.SMALL_ITEMS).addRow(new int[] {1, 4, 9}).build());
      // the scorer's network is not reachable from outside; a second one built the same way shows the state
      Autoencoder network = model.newNetwork(4, parallel);
      new ModelScorer(network).score(new CsrMatrix.Builder(TestModels.SMALL_ITEMS).addRow(new int[] {2}).build());
      assertThat(network.parameters()).noneMatch(Parameter::hasGradient);
      network.close();
    }
  }

  @Test
  void aClosedScorerFailsWithAnException() {
    TrainedModel model = TestModels.small(3);
    try (Parallel parallel = new Parallel(1)) {
      ModelScorer scorer = ModelScorer.snapshot(model.newNetwork(4, parallel));
      CsrMatrix user = new CsrMatrix.Builder(TestModels.SMALL_ITEMS).addRow(new int[] {1, 4, 9}).build();
      scorer.score(user);
      scorer.close();
      assertThatThrownBy(() -> scorer.score(user)).isInstanceOf(RuntimeException.class);
    }
  }
}
