package org.vaecf.nn;

import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;

/**
 * The KL divergence of the encoder's Gaussian {@code q(z|x) = N(µ, diag σ²)} from the prior {@code N(0, I)}, averaged
 * over the rows of a batch: {@code mean_u Σ_j ½(−log σ²_j + σ²_j + µ_j² − 1)} (Liang et al., WWW 2018, eq. 6; the
 * notebook's {@code KL}). Input rows are {@code [µ | log σ²]}.
 */
public final class GaussianKl {
  private final int latent;
  private final Kernels kernels = Kernels.best();
  private float[] input = new float[0];
  private float[] grad = new float[0];

  /** @param latent d, the width of µ and log σ² */
  public GaussianKl(int latent) {
    this.latent = latent;
  }

  /** The mean KL over the rows of {@code muLogVar}. */
  public double value(Matrix muLogVar) {
    int rows = muLogVar.rows();
    if (rows == 0) {
      return 0;
    }
    float[] in = load(muLogVar);
    double total = 0;
    for (int r = 0; r < rows; r++) {
      total += kernels.gaussianKl(in, r * 2 * latent, latent);
    }
    return total / rows;
  }

  /**
   * Adds {@code weight · ∂KL/∂[µ | log σ²]} to {@code gradient}: {@code weight · µ / B} and
   * {@code weight · ½(σ² − 1) / B}.
   */
  public void addGradient(Matrix muLogVar, float weight, Matrix gradient) {
    int rows = muLogVar.rows();
    if (rows == 0 || weight == 0f) {
      return;
    }
    float[] in = load(muLogVar);
    int n = rows * 2 * latent;
    if (grad.length < n) {
      grad = new float[n];
    }
    gradient.buffer().get(0, grad, 0, n);
    float scale = weight / rows;
    for (int r = 0; r < rows; r++) {
      kernels.addGaussianKlGradient(in, r * 2 * latent, grad, latent, scale);
    }
    gradient.buffer().put(0, grad, 0, n);
  }

  private float[] load(Matrix muLogVar) {
    int n = muLogVar.rows() * 2 * latent;
    if (input.length < n) {
      input = new float[n];
    }
    muLogVar.buffer().get(0, input, 0, n);
    return input;
  }
}
