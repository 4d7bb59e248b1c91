package org.vaecf.nn;

import java.util.Objects;
import java.util.Optional;
import org.vaecf.linalg.Matrix;

/**
 * A trainable tensor and its gradient (same shape), with a name used in model bundles.
 *
 * @param name stable name, e.g. {@code encoder.0.weight}
 * @param value the current values
 * @param gradient the gradient of the loss after the last backward pass
 * @param weight whether this is a weight matrix (L2-regularised) rather than a bias (not regularised)
 * @param sparseRows present when only some rows have a non-zero gradient after each backward pass
 */
public record Parameter(String name, Matrix value, Matrix gradient, boolean weight, Optional<SparseRows> sparseRows) {
  public Parameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sparseRows, "sparseRows");
    if (value.rows() != gradient.rows() || value.cols() != gradient.cols()) {
      throw new IllegalArgumentException("gradient shape differs from value shape for " + name);
    }
  }

  /** A zero-initialised parameter of the given shape. */
  public static Parameter zeros(String name, int rows, int cols, boolean weight) {
    return new Parameter(name, Matrix.zeros(rows, cols), Matrix.zeros(rows, cols), weight, Optional.empty());
  }

  /** A zero-initialised parameter on the heap, for tensors that never go to BLAS. */
  public static Parameter heapZeros(String name, int rows, int cols, boolean weight) {
    return new Parameter(name, Matrix.heap(rows, cols), Matrix.heap(rows, cols), weight, Optional.empty());
  }

  /** The same parameter, declared row-sparse through {@code rows}. */
  public Parameter withSparseRows(SparseRows rows) {
    return new Parameter(name, value, gradient, weight, Optional.of(rows));
  }
}
