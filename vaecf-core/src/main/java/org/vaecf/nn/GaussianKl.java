package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The KL divergence of the encoder's Gaussian {@code q(z|x) = N(µ, diag σ²)} from the prior {@code N(0, I)}, averaged
 * over the rows of a batch: {@code mean_u Σ_j ½(−log σ²_j + σ²_j + µ_j² − 1)} (Liang et al., WWW 2018, eq. 6; the
 * notebook's {@code KL}). Input rows are {@code [µ | log σ²]}.
 */
public final class GaussianKl {
  /** Rows per thread at least. */
  private static final int MIN_ROWS = 32;

  private final int latent;
  private final Parallel parallel;
  private final Kernels kernels = Kernels.best();
  private float[] input = new float[0];
  private float[] grad = new float[0];
  private double[] rowValues = new double[0];

  /** @param latent d, the width of µ and log σ² */
  public GaussianKl(int latent) {
    this(latent, new Parallel(1));
  }

  /**
   * @param latent d, the width of µ and log σ²
   * @param parallel threads for the rows (the rows' terms are summed in row order whatever the split)
   */
  public GaussianKl(int latent, Parallel parallel) {
    this.latent = latent;
    this.parallel = parallel;
  }

  /** The mean KL over the rows of {@code muLogVar}. */
  public double value(Matrix muLogVar) {
    int rows = muLogVar.rows();
    if (rows == 0) {
      return 0;
    }
    float[] in = load(muLogVar);
    if (rowValues.length < rows) {
      rowValues = new double[rows];
    }
    double[] values = rowValues;
    parallel.forRange(
        rows,
        MIN_ROWS,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            values[r] = kernels.gaussianKl(in, r * 2 * latent, latent);
          }
        });
    double total = 0;
    for (int r = 0; r < rows; r++) {
      total += values[r];
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
    float[] g = grad;
    FloatBuffer target = gradient.buffer();
    float scale = weight / rows;
    parallel.forRange(
        rows,
        MIN_ROWS,
        (from, to) -> {
          int start = from * 2 * latent;
          int length = (to - from) * 2 * latent;
          target.get(start, g, start, length);
          for (int r = from; r < to; r++) {
            kernels.addGaussianKlGradient(in, r * 2 * latent, g, latent, scale);
          }
          target.put(start, g, start, length);
        });
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
