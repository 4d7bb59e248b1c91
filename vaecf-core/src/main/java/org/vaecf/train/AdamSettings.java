package org.vaecf.train;

/**
 * Adam's hyper-parameters.
 *
 * @param learningRate step size. Paper: 1e-3
 * @param beta1 decay of the first moment. Paper (TensorFlow default): 0.9
 * @param beta2 decay of the second moment. Paper: 0.999
 * @param epsilon added to √v. Paper: 1e-8
 */
public record AdamSettings(float learningRate, float beta1, float beta2, float epsilon) {
  /** The notebook's settings. */
  public static final AdamSettings PAPER = new AdamSettings(1e-3f, 0.9f, 0.999f, 1e-8f);

  public AdamSettings {
    if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (!(beta1 >= 0f && beta1 < 1f)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
    }
  }

  /** A copy with another learning rate. */
  public AdamSettings withLearningRate(float rate) {
    return new AdamSettings(rate, beta1, beta2, epsilon);
  }
}
