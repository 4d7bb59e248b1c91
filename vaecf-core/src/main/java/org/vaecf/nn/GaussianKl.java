package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Matrix;

/**
 * The KL divergence of the encoder's Gaussian {@code q(z|x) = N(µ, diag σ²)} from the prior {@code N(0, I)}, averaged
 * over the rows of a batch: {@code mean_u Σ_j ½(−log σ²_j + σ²_j + µ_j² − 1)} (Liang et al., WWW 2018, eq. 6; the
 * notebook's {@code KL}). Input rows are {@code [µ | log σ²]}.
 */
public final class GaussianKl {
  private final int latent;

  /** @param latent d, the width of µ and log σ² */
  public GaussianKl(int latent) {
    this.latent = latent;
  }

  /** The mean KL over the rows of {@code muLogVar}. */
  public double value(Matrix muLogVar) {
    FloatBuffer in = muLogVar.buffer();
    int rows = muLogVar.rows();
    if (rows == 0) {
      return 0;
    }
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * 2 * latent;
      for (int j = 0; j < latent; j++) {
        double mu = in.get(base + j);
        double logVar = in.get(base + latent + j);
        total += 0.5 * (-logVar + Math.exp(logVar) + mu * mu - 1.0);
      }
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
    FloatBuffer in = muLogVar.buffer();
    FloatBuffer grad = gradient.buffer();
    float scale = weight / rows;
    for (int r = 0; r < rows; r++) {
      int base = r * 2 * latent;
      for (int j = 0; j < latent; j++) {
        int mu = base + j;
        int logVar = base + latent + j;
        grad.put(mu, grad.get(mu) + scale * in.get(mu));
        grad.put(logVar, grad.get(logVar) + scale * 0.5f * ((float) Math.exp(in.get(logVar)) - 1f));
      }
    }
  }
}
