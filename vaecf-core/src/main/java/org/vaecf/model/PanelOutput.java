package org.vaecf.model;

import java.nio.FloatBuffer;
import org.vaecf.linalg.ColumnPanels;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The output weight and bias packed once into {@link ColumnPanels}, on the heap: for a service's small batches, where
 * OpenBLAS would repack the whole weight for every batch of a few users (see {@link ColumnPanels} for the
 * measurements). Every logit is summed in one fixed order, so a user's logits are the same whatever the batch.
 */
final class PanelOutput implements SnapshotOutput {
  private final ColumnPanels weight;
  private final float[] hidden;
  private final float[] logits;
  private final FloatBuffer logitsView;

  /** A packed copy of {@code weight} (hidden × items) and {@code bias}, for batches of up to {@code rows}. */
  PanelOutput(Matrix weight, Matrix bias, int rows) {
    this.weight = ColumnPanels.pack(weight, bias);
    this.hidden = new float[rows * weight.rows()];
    this.logits = new float[rows * weight.cols()];
    this.logitsView = FloatBuffer.wrap(logits);
  }

  @Override
  public FloatBuffer multiply(Matrix activations, int users, Parallel parallel) {
    activations.buffer().get(0, hidden, 0, users * weight.depth());
    int panels = weight.panels();
    int perTask = Math.max(1, BLOCK_ITEMS / weight.panelWidth());
    int tasks = (panels + perTask - 1) / perTask;
    if (parallel.threads() == 1 || tasks == 1) {
      weight.multiply(hidden, users, logits, 0, panels);
    } else {
      parallel.forEachTask(
          tasks,
          (worker, task) ->
              weight.multiply(hidden, users, logits, task * perTask, Math.min(panels, (task + 1) * perTask)));
    }
    return logitsView;
  }

  @Override
  public void close() {
    // heap arrays: left to the garbage collector
  }
}
