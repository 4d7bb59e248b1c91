package org.vaecf.nn;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Matrix;

/** The paper's initialisation: Xavier-uniform weights, biases from a truncated normal with σ = 0.001. */
public final class Initializers {
  /** The notebook's bias standard deviation. */
  public static final double BIAS_STDDEV = 0.001;

  private Initializers() {}

  /**
   * Glorot &amp; Bengio (2010) uniform: every entry of the fan-in × fan-out matrix uniform in ±√(6 / (in + out)), as
   * TensorFlow's {@code xavier_initializer()} draws it.
   */
  public static void xavierUniform(Matrix weight, RandomStream random) {
    double limit = Math.sqrt(6.0 / (weight.rows() + weight.cols()));
    FloatBuffer values = weight.buffer();
    for (int i = 0; i < weight.size(); i++) {
      values.put(i, (float) ((2.0 * random.nextDouble() - 1.0) * limit));
    }
  }

  /**
   * Normal with standard deviation {@code stddev}, redrawn while outside ±2σ, as TensorFlow's
   * {@code truncated_normal} does.
   */
  public static void truncatedNormal(Matrix values, double stddev, RandomStream random) {
    FloatBuffer buffer = values.buffer();
    for (int i = 0; i < values.size(); i++) {
      double x;
      do {
        x = random.nextGaussian();
      } while (Math.abs(x) > 2.0);
      buffer.put(i, (float) (x * stddev));
    }
  }
}
