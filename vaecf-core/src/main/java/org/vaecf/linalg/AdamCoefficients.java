package org.vaecf.linalg;

/**
 * The constant coefficients of an Adam update, precomputed once.
 *
 * @param beta1 decay of the first moment
 * @param beta2 decay of the second moment
 * @param epsilon added to √v
 * @param decay multiplier of θ added to the gradient ({@code 2λ} for an L2 penalty {@code λ·Σθ²}, or 0)
 */
public record AdamCoefficients(float beta1, float beta2, float epsilon, float decay) {
  /** {@code 1 − β₁}. */
  public float oneMinusBeta1() {
    return 1f - beta1;
  }

  /** {@code 1 − β₂}. */
  public float oneMinusBeta2() {
    return 1f - beta2;
  }
}
