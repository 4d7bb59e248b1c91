package org.vaecf.eval;

import java.nio.FloatBuffer;
import org.vaecf.data.CsrMatrix;

/**
 * The model side of evaluation: scores every item for a batch of users given what the model may see of them.
 *
 * <p>Scores only need to order items (logits are fine; no softmax is needed). The {@link Evaluator} calls a scorer
 * from one thread, on consecutive row batches of a fold-in matrix, and only reads the returned buffer.
 */
@FunctionalInterface
public interface BatchScorer {
  /**
   * Scores all items for each row of {@code foldInRows}.
   *
   * @param foldInRows one row per user holding the user's fold-in items; its column count is the number of items
   * @return a row-major {@code foldInRows.rows() × foldInRows.cols()} block of scores starting at the buffer's
   *     position (heap or direct; the engine writes into off-heap memory). It is a view owned by the scorer, valid
   *     until the next call; callers must not change its contents.
   */
  FloatBuffer score(CsrMatrix foldInRows);
}
