package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Matrix;

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
 * This is the one place where the two behaviours differ; the rest of the network is shared.
 */
public final class Reparameterize implements Layer {
  private final int latent;
  private final Noise noise;
  private final Matrix output;
  private final Matrix epsilon;
  private final Matrix gradInput;
  private final RandomStream stream = new RandomStream(0);
  private Matrix lastInput;
  private boolean lastWasTraining;

  /**
   * @param latent d, the width of µ, log σ² and z
   * @param maxBatch most rows a batch may have
   * @param noise source of ε
   */
  public Reparameterize(int latent, int maxBatch, Noise noise) {
    this.latent = latent;
    this.noise = noise;
    this.output = Matrix.zeros(maxBatch, latent);
    this.epsilon = Matrix.zeros(maxBatch, latent);
    this.gradInput = Matrix.zeros(maxBatch, 2 * latent);
  }

  @Override
  public Matrix forward(Matrix input, boolean training) {
    if (input.cols() != 2 * latent) {
      throw new IllegalArgumentException(
          "expected [µ | log σ²] with " + 2 * latent + " columns, got " + input.cols());
    }
    int rows = input.rows();
    output.setRows(rows);
    FloatBuffer in = input.buffer();
    FloatBuffer z = output.buffer();
    if (!training) {
      for (int r = 0; r < rows; r++) {
        z.put(r * latent, in, r * 2 * latent, latent);
      }
    } else {
      epsilon.setRows(rows);
      FloatBuffer eps = epsilon.buffer();
      for (int r = 0; r < rows; r++) {
        RandomStream rowNoise = noise.stream(Noise.Purpose.REPARAMETERIZATION, r, stream);
        int muOffset = r * 2 * latent;
        for (int j = 0; j < latent; j++) {
          float e = (float) rowNoise.nextGaussian();
          float sigma = (float) Math.exp(0.5 * in.get(muOffset + latent + j));
          eps.put(r * latent + j, e);
          z.put(r * latent + j, in.get(muOffset + j) + e * sigma);
        }
      }
    }
    lastInput = input;
    lastWasTraining = training;
    return output;
  }

  /**
   * Returns {@code [∂µ | ∂log σ²]} for the last training forward pass: {@code ∂µ = ∂z} and
   * {@code ∂log σ² = ∂z ⊙ ε ⊙ ½σ}.
   *
   * @throws IllegalStateException after a prediction pass (nothing random to differentiate through)
   */
  @Override
  public Matrix backward(Matrix gradOutput) {
    if (lastInput == null || !lastWasTraining) {
      throw new IllegalStateException("backward needs a preceding forward pass with training = true");
    }
    int rows = gradOutput.rows();
    gradInput.setRows(rows);
    FloatBuffer in = lastInput.buffer();
    FloatBuffer dz = gradOutput.buffer();
    FloatBuffer eps = epsilon.buffer();
    FloatBuffer dx = gradInput.buffer();
    for (int r = 0; r < rows; r++) {
      int base = r * 2 * latent;
      for (int j = 0; j < latent; j++) {
        float g = dz.get(r * latent + j);
        float halfSigma = 0.5f * (float) Math.exp(0.5 * in.get(base + latent + j));
        dx.put(base + j, g);
        dx.put(base + latent + j, g * eps.get(r * latent + j) * halfSigma);
      }
    }
    return gradInput;
  }
}
