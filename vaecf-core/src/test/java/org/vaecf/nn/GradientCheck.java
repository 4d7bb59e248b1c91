package org.vaecf.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.function.DoubleSupplier;
import org.vaecf.linalg.Matrix;

/** Central finite differences against analytic gradients, for float32 layers. */
final class GradientCheck {
  private GradientCheck() {}

  /**
   * For every entry of {@code values}, perturbs it by ±h, evaluates {@code loss}, and compares the central difference
   * with {@code analytic} at the same entry.
   */
  static void check(String what, Matrix values, Matrix analytic, DoubleSupplier loss, double h, double tolerance) {
    FloatBuffer v = values.buffer();
    for (int i = 0; i < values.size(); i++) {
      float original = v.get(i);
      v.put(i, original + (float) h);
      double plus = loss.getAsDouble();
      v.put(i, original - (float) h);
      double minus = loss.getAsDouble();
      v.put(i, original);
      double numeric = (plus - minus) / (2 * h);
      double exact = analytic.buffer().get(i);
      assertThat(Math.abs(numeric - exact))
          .as("%s[%d]: numeric %.6f vs analytic %.6f", what, i, numeric, exact)
          .isLessThanOrEqualTo(tolerance * Math.max(1.0, Math.abs(numeric)));
    }
  }

  /** Σ output ⊙ weights: a scalar loss whose gradient with respect to {@code output} is {@code weights}. */
  static double weightedSum(Matrix output, Matrix weights) {
    double sum = 0;
    for (int i = 0; i < output.size(); i++) {
      sum += (double) output.buffer().get(i) * weights.buffer().get(i);
    }
    return sum;
  }

  /** A matrix of uniform values in [-scale, scale]. */
  static Matrix random(int rows, int cols, double scale, long seed) {
    RandomStream random = new RandomStream(seed);
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < m.size(); i++) {
      m.buffer().put(i, (float) ((2 * random.nextDouble() - 1) * scale));
    }
    return m;
  }
}
