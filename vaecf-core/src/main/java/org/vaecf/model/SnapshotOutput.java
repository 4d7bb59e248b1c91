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
   * The logits {@code bias + hidden · W} of the first {@code users} rows of {@code hidden}, row-major
   * ({@code users × items}), in a buffer owned by this object and valid until its next use; read it with absolute
   * gets only.
   */
  FloatBuffer multiply(Matrix hidden, int users, Parallel parallel);

  /** Gives back the copies' memory; the object must not be used afterwards. */
  @Override
  void close();
}
