package org.vaecf.model;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * An immutable named float matrix: one parameter of a trained model.
 *
 * @param name e.g. {@code encoder.0.weight}
 * @param rows rows (fan-in for weights; 1 for biases)
 * @param cols columns (fan-out)
 */
public record NamedTensor(String name, int rows, int cols, FloatBuffer values) {
  public NamedTensor {
    Objects.requireNonNull(name, "name");
    if ((long) rows * cols != values.capacity()) {
      throw new IllegalArgumentException(
          name + ": " + rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + values.capacity());
    }
    values = values.asReadOnlyBuffer();
  }

  /** A tensor holding a copy of {@code data}. */
  public static NamedTensor copyOf(String name, int rows, int cols, float[] data) {
    return new NamedTensor(name, rows, cols, FloatBuffer.wrap(data.clone()));
  }

  /** Number of values. */
  public int size() {
    return rows * cols;
  }

  /** Value at row-major position {@code index}. */
  public float get(int index) {
    return values.get(index);
  }

  /** A heap copy of the values, row-major. */
  public float[] toArray() {
    float[] copy = new float[size()];
    values.get(0, copy);
    return copy;
  }
}
