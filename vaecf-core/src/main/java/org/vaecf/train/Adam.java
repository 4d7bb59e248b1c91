package org.vaecf.train;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.nn.Parameter;

/**
 * Adam (Kingma &amp; Ba, 2015) in the form TensorFlow 1 implements it, which the reference notebook uses:
 * {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code θ ← θ − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)}.
 *
 * <p>Every parameter is updated at every step, including rows of the first layer whose gradient is zero in this batch
 * (their moments decay), as the reference does. The L2 penalty {@code λ·Σ W²} of the loss enters here as
 * {@code g + 2λW} for weight matrices (not biases), which saves a pass over the gradients. One fused pass per tensor,
 * split over the threads.
 */
public final class Adam {
  private final List<Parameter> parameters;
  private final List<Matrix> firstMoments = new ArrayList<>();
  private final List<Matrix> secondMoments = new ArrayList<>();
  private final float learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float l2;
  private final Parallel parallel;
  private long step;

  /**
   * @param parameters the tensors to update
   * @param settings learning rate, β₁, β₂, ε
   * @param l2 λ of the loss term {@code λ·Σ W²} over weight matrices
   * @param parallel threads for the update loop
   */
  public Adam(List<Parameter> parameters, AdamSettings settings, float l2, Parallel parallel) {
    this.parameters = List.copyOf(parameters);
    this.learningRate = settings.learningRate();
    this.beta1 = settings.beta1();
    this.beta2 = settings.beta2();
    this.epsilon = settings.epsilon();
    this.l2 = l2;
    this.parallel = parallel;
    for (Parameter parameter : this.parameters) {
      firstMoments.add(Matrix.zeros(parameter.value().rows(), parameter.value().cols()));
      secondMoments.add(Matrix.zeros(parameter.value().rows(), parameter.value().cols()));
    }
  }

  /** Applies one update to every parameter from its current gradient. */
  public void step() {
    step++;
    double correction = Math.sqrt(1.0 - Math.pow(beta2, step)) / (1.0 - Math.pow(beta1, step));
    float stepSize = (float) (learningRate * correction);
    for (int p = 0; p < parameters.size(); p++) {
      Parameter parameter = parameters.get(p);
      FloatBuffer theta = parameter.value().buffer();
      FloatBuffer grad = parameter.gradient().buffer();
      FloatBuffer m = firstMoments.get(p).buffer();
      FloatBuffer v = secondMoments.get(p).buffer();
      float decay = parameter.weight() ? 2f * l2 : 0f;
      parallel.forRange(
          parameter.value().size(),
          1 << 14,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              float value = theta.get(i);
              float g = grad.get(i) + decay * value;
              float mi = beta1 * m.get(i) + (1f - beta1) * g;
              float vi = beta2 * v.get(i) + (1f - beta2) * g * g;
              m.put(i, mi);
              v.put(i, vi);
              theta.put(i, value - stepSize * mi / ((float) Math.sqrt(vi) + epsilon));
            }
          });
    }
  }

  /** Number of updates applied so far. */
  public long steps() {
    return step;
  }
}
