package org.vaecf.model;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The output weight transposed (items × hidden) in direct memory, multiplied by OpenBLAS: for large batches (batch
 * scoring's hundreds of users), where sgemm's packing of the weight is paid once for many users. OpenBLAS runs
 * {@code h · Wtᵀ} 20–30% faster than {@code h · W} there (measured on this project's 2-core machine, one thread: 32
 * users 9.8 → 7.5–8.0 ms).
 */
final class TransposedOutput implements SnapshotOutput {
  private final Matrix weightT;
  private final Matrix bias;
  private final Matrix logits;

  /** A copy of {@code weight} (hidden × items) transposed and of {@code bias}, for batches of up to {@code rows}. */
  TransposedOutput(Matrix weight, Matrix bias, int rows) {
    int hidden = weight.rows();
    int items = weight.cols();
    this.weightT = Matrix.zeros(items, hidden);
    FloatBuffer w = weight.buffer();
    FloatBuffer t = weightT.buffer();
    for (int h = 0; h < hidden; h++) {
      for (int i = 0; i < items; i++) {
        t.put(i * hidden + h, w.get(h * items + i));
      }
    }
    this.bias = Matrix.zeros(1, items);
    this.bias.copyFrom(bias);
    this.logits = Matrix.zeros(rows, items);
  }

  @Override
  public FloatBuffer multiply(Matrix hidden, int users, Parallel parallel) {
    logits.setRows(users);
    FloatBuffer out = logits.buffer();
    int items = logits.cols();
    for (int r = 0; r < users; r++) {
      out.put(r * items, bias.buffer(), 0, items);
    }
    if (Blas.splitsOver(parallel)) {
      // The blocks are fixed by item (64-byte aligned), so a user's logits do not depend on which thread computed
      // them.
      int blocks = (items + BLOCK_ITEMS - 1) / BLOCK_ITEMS;
      parallel.forEachTask(
          blocks,
          (worker, block) ->
              Blas.gemmColumnRange(false, true, 1f, hidden, weightT, 1f, logits, block * BLOCK_ITEMS,
                  Math.min(items, (block + 1) * BLOCK_ITEMS)));
    } else {
      Blas.gemm(false, true, 1f, hidden, weightT, 1f, logits);
    }
    return out;
  }

  @Override
  public void close() {
    weightT.close();
    bias.close();
    logits.close();
  }
}
