package org.vaecf.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The output layer's fused training pass ({@code forwardLoss} + {@code backwardLoss}) against the plain composition of
 * {@code forward}, the multinomial likelihood and {@code backward} — for the loss, ∂b, ∂h and ∂W, stored or handed to
 * an update block by block — with products split over threads and on OpenBLAS's own, and with more items than one
 * update block so that the blocks' edges are exercised.
 */
class OutputLayerTest {
  private static final int HIDDEN = 7;
  private static final int ITEMS = OutputLayer.UPDATE_BLOCK * 2 + 37;
  private static final int ROWS = 5;

  private static CsrMatrix clicks(SplittableRandom random, int itemCount) {
    CsrMatrix.Builder builder = new CsrMatrix.Builder(itemCount);
    for (int r = 0; r < ROWS; r++) {
      int[] items = random.ints(3 + r, 0, itemCount).distinct().sorted().toArray();
      builder.addRow(items);
    }
    return builder.build();
  }

  private static void randomize(Matrix matrix, double scale, SplittableRandom random) {
    FloatBuffer values = matrix.buffer();
    for (int i = 0; i < matrix.size(); i++) {
      values.put(i, (float) ((random.nextDouble() * 2 - 1) * scale));
    }
  }

  private static void assertClose(String what, float[] actual, float[] expected, float tolerance) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(tolerance));
    }
  }

  private static void checkFusedAgainstPlain(int threads, int blasThreads) {
    checkFusedAgainstPlain(threads, blasThreads, ITEMS);
  }

  private static void checkFusedAgainstPlain(int threads, int blasThreads, int items) {
    SplittableRandom random = new SplittableRandom(21);
    int previousBlasThreads = Blas.threads();
    Blas.setThreads(blasThreads);
    try (Parallel parallel = new Parallel(threads);
        OutputLayer layer = new OutputLayer("out", HIDDEN, items, ROWS, parallel);
        Matrix hidden = Matrix.zeros(ROWS, HIDDEN)) {
      randomize(layer.weight().value(), 0.5, random);
      randomize(layer.bias().value(), 0.5, random);
      randomize(hidden, 1.0, random);
      SparseBatch targets = new SparseBatch(ROWS).loadNormalized(clicks(random, items));
      float[] weights = layer.weight().value().toArray();

      // plain: forward, likelihood, backward
      Matrix logits = layer.forward(hidden, true);
      Matrix gradLogits = Matrix.zeros(ROWS, items);
      double plainLoss = new MultinomialLikelihood(parallel).lossAndGradient(logits, targets, gradLogits);
      float[] plainGradInput = layer.backward(gradLogits).toArray();
      float[] plainWeightGradient = layer.weight().gradient().toArray();
      float[] plainBiasGradient = layer.bias().gradient().toArray();

      // fused, ∂W stored
      layer.weight().gradient().fill(0f);
      double fusedLoss = layer.forwardLoss(hidden, targets);
      float[] fusedGradInput = layer.backwardLoss(null).toArray();
      assertThat(fusedLoss).isCloseTo(plainLoss, within(1e-5 * Math.abs(plainLoss)));
      assertClose("∂h", fusedGradInput, plainGradInput, 1e-6f);
      assertClose("∂b", layer.bias().gradient().toArray(), plainBiasGradient, 1e-7f);
      assertClose("∂W stored", layer.weight().gradient().toArray(), plainWeightGradient, 1e-6f);

      // fused, ∂W handed to an update block by block: the blocks cover every column once, and the update may change
      // its columns of W at once (as the optimiser does) without changing ∂h, which needs W as it was
      float[] handed = new float[HIDDEN * items];
      int[] coverage = new int[items];
      layer.forwardLoss(hidden, targets);
      float[] handedGradInput =
          layer
              .backwardLoss(
                  (chunk, from, to, gradient, offset, stride) -> {
                    assertThat(chunk).isBetween(0, threads - 1);
                    FloatBuffer weight = layer.weight().value().buffer();
                    for (int row = 0; row < HIDDEN; row++) {
                      for (int j = 0; j < to - from; j++) {
                        handed[row * items + from + j] = gradient.buffer().get(offset + row * stride + j);
                        weight.put(row * items + from + j, 1e6f);
                      }
                    }
                    synchronized (coverage) {
                      for (int j = from; j < to; j++) {
                        coverage[j]++;
                      }
                    }
                  })
              .toArray();
      assertThat(coverage).containsOnly(1);
      assertClose("∂W handed over", handed, plainWeightGradient, 1e-6f);
      assertClose("∂h while the update changes W", handedGradInput, plainGradInput, 1e-6f);
      layer.weight().value().copyFrom(weights);
    } finally {
      Blas.setThreads(Math.max(1, previousBlasThreads));
    }
  }

  @Test
  void fusedPassEqualsThePlainCompositionWithProductsSplitOverTwoThreads() {
    checkFusedAgainstPlain(2, 1);
  }

  @Test
  void fusedPassEqualsThePlainCompositionOnOneThread() {
    checkFusedAgainstPlain(1, 1);
  }

  @Test
  void fusedPassEqualsThePlainCompositionWhenOpenBlasRunsItsOwnThreads() {
    checkFusedAgainstPlain(2, 2);
  }

  @Test
  void fusedPassEqualsThePlainCompositionOnThreeThreads() {
    checkFusedAgainstPlain(3, 1);
  }

  @Test
  void aThreadWithoutColumnsAddsNothingToTheInputGradient() {
    // 20 items in blocks of 16 columns over 3 threads: the third thread gets no columns, its partial ∂h is zero
    checkFusedAgainstPlain(3, 1, 20);
  }

  /**
   * The block-wise backward pass leaves the logits buffer cleared for the next step's product to add to: consecutive
   * steps, with more rows than were cleared, fewer, and a plain forward pass in between, give the plain loss.
   */
  @Test
  void consecutiveFusedStepsGiveThePlainLoss() {
    SplittableRandom random = new SplittableRandom(41);
    int previousBlasThreads = Blas.threads();
    Blas.setThreads(1);
    try (Parallel parallel = new Parallel(2);
        OutputLayer layer = new OutputLayer("out", HIDDEN, ITEMS, ROWS, parallel)) {
      randomize(layer.weight().value(), 0.5, random);
      randomize(layer.bias().value(), 0.5, random);
      ColumnBlockUpdate noUpdate = (chunk, from, to, gradient, offset, stride) -> {};
      for (int rows : new int[] {3, ROWS, 2, ROWS, ROWS}) {
        try (Matrix hidden = Matrix.zeros(rows, HIDDEN)) {
          randomize(hidden, 1.0, random);
          CsrMatrix.Builder builder = new CsrMatrix.Builder(ITEMS);
          for (int r = 0; r < rows; r++) {
            builder.addRow(random.ints(2 + r, 0, ITEMS).distinct().toArray());
          }
          SparseBatch targets = new SparseBatch(ROWS).loadNormalized(builder.build());
          if (rows == 2) {
            layer.forward(hidden, false); // the plain pass writes the buffer: the next product must not add to it
          }
          Matrix gradLogits = Matrix.zeros(rows, ITEMS);
          double fused = layer.forwardLoss(hidden, targets);
          layer.backwardLoss(noUpdate);
          double plain =
              new MultinomialLikelihood(parallel).lossAndGradient(layer.forward(hidden, true), targets, gradLogits);
          assertThat(fused).as("%d rows", rows).isCloseTo(plain, within(1e-5 * Math.abs(plain)));
          layer.forwardLoss(hidden, targets); // after the plain pass, the buffer is not cleared: still the same loss
          assertThat(layer.forwardLoss(hidden, targets)).isCloseTo(plain, within(1e-5 * Math.abs(plain)));
          layer.backwardLoss(noUpdate);
        }
      }
    } finally {
      Blas.setThreads(Math.max(1, previousBlasThreads));
    }
  }

  @Test
  void backwardLossNeedsAForwardLoss() {
    try (Parallel parallel = new Parallel(1);
        OutputLayer layer = new OutputLayer("out", HIDDEN, 20, ROWS, parallel)) {
      assertThatThrownBy(() -> layer.backwardLoss(null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("forwardLoss");
    }
  }
}
