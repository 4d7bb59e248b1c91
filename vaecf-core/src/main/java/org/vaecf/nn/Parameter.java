package org.vaecf.nn;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.vaecf.linalg.Matrix;

/**
 * A trainable tensor and its gradient (same shape), with a name used in model bundles.
 *
 * <p>The gradient is allocated on first use, by the first backward pass: a network that only predicts (serving, batch
 * scoring, evaluation of a saved model) never holds one, which halves its memory — the two item-sized weights of a
 * Mult-VAE are 2 × 600 × items floats, about 100 MB at 20,000 items. Not thread-safe, like the network it belongs to.
 */
public final class Parameter implements AutoCloseable {
  private final String name;
  private final Matrix value;
  private final GradientSlot gradient;
  private final boolean weight;
  private final Optional<SparseRows> sparseRows;

  /** The gradient, allocated on first use; shared by the copies {@link #withSparseRows} makes. */
  private static final class GradientSlot {
    private final Supplier<Matrix> allocate;
    private Matrix matrix;

    GradientSlot(Supplier<Matrix> allocate) {
      this.allocate = allocate;
    }

    Matrix get() {
      if (matrix == null) {
        matrix = allocate.get();
      }
      return matrix;
    }
  }

  private Parameter(
      String name, Matrix value, GradientSlot gradient, boolean weight, Optional<SparseRows> sparseRows) {
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
    this.gradient = gradient;
    this.weight = weight;
    this.sparseRows = Objects.requireNonNull(sparseRows, "sparseRows");
  }

  /** A zero-initialised parameter of the given shape, in direct memory (BLAS reads it). */
  public static Parameter zeros(String name, int rows, int cols, boolean weight) {
    return new Parameter(
        name, Matrix.zeros(rows, cols), new GradientSlot(() -> Matrix.zeros(rows, cols)), weight, Optional.empty());
  }

  /** A zero-initialised parameter on the heap, for tensors that never go to BLAS. */
  public static Parameter heapZeros(String name, int rows, int cols, boolean weight) {
    return new Parameter(
        name, Matrix.heap(rows, cols), new GradientSlot(() -> Matrix.heap(rows, cols)), weight, Optional.empty());
  }

  /** The same parameter (same value and gradient memory), declared row-sparse through {@code rows}. */
  public Parameter withSparseRows(SparseRows rows) {
    return new Parameter(name, value, gradient, weight, Optional.of(rows));
  }

  /** Stable name, e.g. {@code encoder.0.weight}. */
  public String name() {
    return name;
  }

  /** The current values. */
  public Matrix value() {
    return value;
  }

  /** The gradient of the loss after the last backward pass (zeros before the first); allocated on first call. */
  public Matrix gradient() {
    return gradient.get();
  }

  /** Whether the gradient has been allocated (a backward pass, or someone, asked for it). */
  public boolean hasGradient() {
    return gradient.matrix != null;
  }

  /** Whether this is a weight matrix (L2-regularised) rather than a bias (not regularised). */
  public boolean weight() {
    return weight;
  }

  /** Present when only some rows have a non-zero gradient after each backward pass. */
  public Optional<SparseRows> sparseRows() {
    return sparseRows;
  }

  /** Gives back the direct memory of the value and gradient at once (see {@link Matrix#close()}). */
  @Override
  public void close() {
    value.close();
    if (gradient.matrix != null) {
      gradient.matrix.close();
    }
  }

  @Override
  public String toString() {
    return "Parameter[" + name + ", " + value.rows() + "x" + value.cols() + (weight ? ", weight" : ", bias") + "]";
  }
}
