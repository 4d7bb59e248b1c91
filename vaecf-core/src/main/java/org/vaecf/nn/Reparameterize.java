package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The reparameterization of Mult-VAE (Liang et al., WWW 2018, §2.2; Kingma &amp; Welling 2014): the input row is
 * {@code [µ | log σ²]} (2·d columns), the output a latent row {@code z} (d columns).
 *
 * <ul>
 *   <li>{@code training == true}: {@code z = µ + ε ⊙ exp(½ · log σ²)} with {@code ε ~ N(0, I)} drawn fresh for every
 *       row and step, so the gradient reaches both µ and log σ².
 *   <li>{@code training == false} (prediction, evaluation, serving): {@code z = µ}. No noise is drawn; the output is
 *       a deterministic function of the input.
 * </ul>
 *
 * This is the one place where the two behaviours differ; the rest of the network is shared. ε comes from a
 * counter-based generator keyed by (seed, step, row), so a row's noise does not depend on the other rows or threads.
 */
public final class Reparameterize implements Layer {
  /** Rows per thread at least: a service's few users are not worth a hand-over. */
  private static final int MIN_ROWS = 32;

  private final int latent;
  private final Parallel parallel;
  private final Noise noise;
  private final Kernels kernels = Kernels.best();
  private final Matrix output;
  private final Matrix gradInput;
  private final float[] input;
  private final float[] epsilon;
  private final float[] sigma;
  private final float[] z;
  private final float[] gradZ;
  private final float[] grad;
  private final double[] rowKl;
  private boolean lastWasTraining;
  private int lastRows = -1;

  /**
   * @param latent d, the width of µ, log σ² and z
   * @param maxBatch most rows a batch may have
   * @param noise source of ε
   */
  public Reparameterize(int latent, int maxBatch, Noise noise) {
    this(latent, maxBatch, noise, new Parallel(1));
  }

  /**
   * @param latent d, the width of µ, log σ² and z
   * @param maxBatch most rows a batch may have
   * @param noise source of ε
   * @param parallel threads for the rows (each row's ε depends on its row alone, so not on the split)
   */
  public Reparameterize(int latent, int maxBatch, Noise noise, Parallel parallel) {
    this.latent = latent;
    this.parallel = parallel;
    this.noise = noise;
    this.output = Matrix.zeros(maxBatch, latent);
    this.gradInput = Matrix.zeros(maxBatch, 2 * latent);
    this.input = new float[maxBatch * 2 * latent];
    this.epsilon = new float[maxBatch * latent];
    this.sigma = new float[maxBatch * latent];
    this.z = new float[maxBatch * latent];
    this.gradZ = new float[maxBatch * latent];
    this.grad = new float[maxBatch * 2 * latent];
    this.rowKl = new double[maxBatch];
  }

  @Override
  public Matrix forward(Matrix in, boolean training) {
    if (in.cols() != 2 * latent) {
      throw new IllegalArgumentException(
          "expected [µ | log σ²] with " + 2 * latent + " columns, got " + in.cols());
    }
    int rows = in.rows();
    output.setRows(rows);
    FloatBuffer source = in.buffer();
    FloatBuffer target = output.buffer();
    if (!training) {
      for (int r = 0; r < rows; r++) {
        target.put(r * latent, source, r * 2 * latent, latent);
      }
    } else {
      parallel.forRange(
          rows,
          MIN_ROWS,
          (from, to) -> {
            source.get(from * 2 * latent, input, from * 2 * latent, (to - from) * 2 * latent);
            for (int r = from; r < to; r++) {
              kernels.gaussian(noise.key(Noise.Purpose.REPARAMETERIZATION, r), epsilon, r * latent, latent);
              kernels.reparameterize(
                  input, r * 2 * latent, epsilon, r * latent, sigma, r * latent, z, r * latent, latent);
              rowKl[r] = kernels.gaussianKl(input, r * 2 * latent, latent);
            }
            target.put(from * latent, z, from * latent, (to - from) * latent);
          });
    }
    lastRows = rows;
    lastWasTraining = training;
    return output;
  }

  /**
   * Returns {@code [∂µ | ∂log σ²]} for the last training forward pass: {@code ∂µ = ∂z} and
   * {@code ∂log σ² = ∂z ⊙ ε ⊙ ½σ}.
   *
   * @throws IllegalStateException after a prediction pass (nothing random to differentiate through)
   */
  /**
   * The KL divergence of the last training forward pass's {@code [µ | log σ²]} from the prior, mean over its rows
   * ({@link GaussianKl#value}, computed in the same pass over the rows as z).
   *
   * @throws IllegalStateException after a prediction pass
   */
  public double klDivergence() {
    if (lastRows < 0 || !lastWasTraining) {
      throw new IllegalStateException("the KL term is kept by training passes only");
    }
    double total = 0;
    for (int r = 0; r < lastRows; r++) {
      total += rowKl[r];
    }
    return lastRows == 0 ? 0 : total / lastRows;
  }

  @Override
  public Matrix backward(Matrix gradOutput) {
    return backward(gradOutput, 0f);
  }

  /**
   * {@link #backward(Matrix)} plus {@code klWeight} times the KL term's gradient ({@link GaussianKl#addGradient}), in
   * the same pass over the rows.
   *
   * @throws IllegalStateException after a prediction pass (nothing random to differentiate through)
   */
  public Matrix backward(Matrix gradOutput, float klWeight) {
    if (lastRows < 0 || !lastWasTraining) {
      throw new IllegalStateException("backward needs a preceding forward pass with training = true");
    }
    int rows = gradOutput.rows();
    gradInput.setRows(rows);
    FloatBuffer source = gradOutput.buffer();
    FloatBuffer target = gradInput.buffer();
    float klScale = rows == 0 ? 0f : klWeight / rows;
    parallel.forRange(
        rows,
        MIN_ROWS,
        (from, to) -> {
          source.get(from * latent, gradZ, from * latent, (to - from) * latent);
          for (int r = from; r < to; r++) {
            kernels.reparameterizeBackward(
                gradZ, r * latent, epsilon, r * latent, sigma, r * latent, grad, r * 2 * latent, latent);
            if (klScale != 0f) {
              kernels.addGaussianKlGradient(input, r * 2 * latent, grad, latent, klScale);
            }
          }
          target.put(from * 2 * latent, grad, from * 2 * latent, (to - from) * 2 * latent);
        });
    return gradInput;
  }

  @Override
  public void close() {
    output.close();
    gradInput.close();
  }
}
