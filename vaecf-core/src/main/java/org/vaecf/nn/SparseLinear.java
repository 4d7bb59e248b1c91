package org.vaecf.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The first layer, reading the sparse input directly: {@code y_u = b + Σ_{i ∈ items(u)} x_ui · W_i}, a sum of the
 * rows of {@code W} (items × out) for the user's items. Its cost is proportional to the non-zeros, not to the item
 * count, and its weight gradient touches only the rows of the batch's items (the others are left at zero).
 */
public final class SparseLinear {
  private final Parameter weight;
  private final Parameter bias;
  private final Matrix output;
  private final Matrix ones;
  private final Parallel parallel;
  private final boolean[] touched;
  private int[] touchedRows;
  private int touchedCount;
  private SparseBatch lastInput;

  /**
   * @param name prefix of the parameter names
   * @param items input width (number of items)
   * @param out output width
   * @param maxBatch most rows a batch may have
   * @param parallel threads for the row and column loops
   */
  public SparseLinear(String name, int items, int out, int maxBatch, Parallel parallel) {
    this.weight = Parameter.zeros(name + ".weight", items, out, true);
    this.bias = Parameter.zeros(name + ".bias", 1, out, false);
    this.output = Matrix.zeros(maxBatch, out);
    this.ones = Layers.ones(maxBatch);
    this.parallel = parallel;
    this.touched = new boolean[items];
    this.touchedRows = new int[1024];
  }

  /** {@code y = x · W + b} for the sparse batch {@code x}. */
  public Matrix forward(SparseBatch input) {
    int rows = input.rows();
    int out = output.cols();
    output.setRows(rows);
    Layers.broadcastRow(bias.value(), output);
    FloatBuffer w = weight.value().buffer();
    FloatBuffer y = output.buffer();
    parallel.forRange(
        rows,
        8,
        (from, to) -> {
          for (int r = from; r < to; r++) {
            int base = r * out;
            for (int k = input.rowStart(r); k < input.rowEnd(r); k++) {
              float value = input.value(k);
              int wBase = input.column(k) * out;
              for (int j = 0; j < out; j++) {
                y.put(base + j, y.get(base + j) + value * w.get(wBase + j));
              }
            }
          }
        });
    lastInput = input;
    return output;
  }

  /**
   * Stores {@code ∂W = xᵀ · ∂y} (only the rows of items in the batch are non-zero) and {@code ∂b = Σ_u ∂y_u}. There
   * is no gradient with respect to the input.
   */
  public void backward(Matrix gradOutput) {
    if (lastInput == null) {
      throw new IllegalStateException("backward called before forward");
    }
    SparseBatch input = lastInput;
    int out = output.cols();
    FloatBuffer dw = weight.gradient().buffer();
    FloatBuffer dy = gradOutput.buffer();
    clearTouchedRows(dw, out);
    collectTouchedRows(input);
    // Split over output columns: every thread walks all entries but writes its own columns of ∂W, so there are no
    // races and the summation order per entry is fixed.
    parallel.forRange(
        out,
        16,
        (from, to) -> {
          for (int r = 0; r < input.rows(); r++) {
            int base = r * out;
            for (int k = input.rowStart(r); k < input.rowEnd(r); k++) {
              float value = input.value(k);
              int wBase = input.column(k) * out;
              for (int j = from; j < to; j++) {
                dw.put(wBase + j, dw.get(wBase + j) + value * dy.get(base + j));
              }
            }
          }
        });
    Layers.columnSums(gradOutput, ones, bias.gradient());
  }

  private void clearTouchedRows(FloatBuffer dw, int out) {
    for (int t = 0; t < touchedCount; t++) {
      int base = touchedRows[t] * out;
      for (int j = 0; j < out; j++) {
        dw.put(base + j, 0f);
      }
      touched[touchedRows[t]] = false;
    }
    touchedCount = 0;
  }

  private void collectTouchedRows(SparseBatch input) {
    for (int k = 0; k < input.nnz(); k++) {
      int item = input.column(k);
      if (!touched[item]) {
        touched[item] = true;
        if (touchedCount == touchedRows.length) {
          touchedRows = Arrays.copyOf(touchedRows, touchedCount * 2);
        }
        touchedRows[touchedCount++] = item;
      }
    }
  }

  /** The weight parameter (items × out). */
  public Parameter weight() {
    return weight;
  }

  /** The bias parameter (1 × out). */
  public Parameter bias() {
    return bias;
  }

  /** Both parameters, weight first. */
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }
}
