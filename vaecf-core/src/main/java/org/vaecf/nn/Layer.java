package org.vaecf.nn;

import java.util.List;
import org.vaecf.linalg.Matrix;

/**
 * A differentiable step of a network over batches of rows.
 *
 * <p>{@code training} is the one switch between the two behaviours of the model: layers that are random during
 * training (dropout, the reparameterization) read it and are deterministic when it is {@code false}. The returned
 * matrices are owned by the layer and overwritten by its next call.
 */
public interface Layer extends AutoCloseable {
  /** Computes the output for {@code input} (one row per example). */
  Matrix forward(Matrix input, boolean training);

  /**
   * Given the gradient of the loss with respect to the last output, stores the gradients of this layer's parameters
   * and returns the gradient with respect to the last input.
   */
  Matrix backward(Matrix gradOutput);

  /** Trainable parameters, in a stable order. */
  default List<Parameter> parameters() {
    return List.of();
  }

  /**
   * Gives back the layer's direct memory (buffers and parameters) at once rather than at garbage collection; the
   * layer must not be used afterwards. See {@link org.vaecf.linalg.Matrix#close()}.
   */
  @Override
  default void close() {
    parameters().forEach(Parameter::close);
  }
}
