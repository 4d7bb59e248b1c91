package org.vaecf.model;

import java.nio.FloatBuffer;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;

/**
 * The output layer of a {@link ModelScorer#snapshot}: its own copy of the weight and bias, in the layout that
 * multiplies fastest at the scorer's batch sizes.
 */
interface SnapshotOutput extends AutoCloseable {
  /**
   * Items per task when a product is split over threads: blocks handed out one at a time
   * ({@link Parallel#forEachTask}), so a thread descheduled by a busy machine delays one block, not half the product.
   */
  int BLOCK_ITEMS = 1024;

  /**
   * The logits {@code bias + hidden · W} of the first {@code users} rows of {@code hidden}, row-major
   * ({@code users × items}), in a buffer owned by this object and valid until its next use; read it with absolute
   * gets only.
   */
  FloatBuffer multiply(Matrix hidden, int users, Parallel parallel);

  /** Gives back the copies' memory; the object must not be used afterwards. */
  @Override
  void close();
}
