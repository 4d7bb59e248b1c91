package org.vaecf.spark.score;

import java.nio.FloatBuffer;
import org.vaecf.data.CsrMatrix;
import org.vaecf.infer.Ranking;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;

/**
 * Scores a block of users with one matrix product per layer and picks each user's top {@code k}, history excluded,
 * with softmax probabilities as scores — the computation of {@code infer.Recommender}, without its id lookups and
 * locking, for one Spark task at a time. Not thread-safe: a task borrows it from {@link BroadcastModel}, uses it
 * alone, and gives it back.
 *
 * <p>It runs on one thread and sets OpenBLAS to one thread: Spark already runs one task per core, and OpenBLAS's
 * thread count is global to the JVM.
 *
 * <p>Its network lives in native memory (a copy of the item-sized weights, 48 MB per layer at ML-20M's 20,108 items,
 * plus {@code capacity × items} floats of activations), which the garbage collector does not see filling up: whoever
 * drops a scorer closes it.
 */
public final class BlockScorer implements AutoCloseable {
  private final ModelScorer scorer;
  private final int items;
  private final float[] row;
  // volatile: a scorer is closed on other threads than its user's (the pool's, Spark's cleanup), and a use after
  // that must fail here rather than read freed memory
  private volatile boolean closed;

  BlockScorer(TrainedModel model, int capacity) {
    Blas.setThreads(1);
    // One thread: the network's elementwise loops run on the task's own thread (a Parallel of one starts none).
    this.scorer = ModelScorer.snapshot(model.newNetwork(capacity, new Parallel(1)));
    this.items = model.items().size();
    this.row = new float[items];
  }

  /** Most users per {@link #recommend} call. */
  public int capacity() {
    return scorer.capacity();
  }

  /**
   * The top {@code k} items of each row of {@code histories}, excluding the row's own items.
   *
   * @param histories one row per user, item columns of the model, at most {@link #capacity()} rows
   * @param k items per user, {@code >= 1}; fewer are returned when fewer items are left
   * @return per row, the chosen item columns best first and their probabilities
   */
  public Ranked[] recommend(CsrMatrix histories, int k) {
    if (closed) {
      // the network's memory is freed: reading it would return garbage or crash the JVM
      throw new IllegalStateException("the scorer is closed");
    }
    FloatBuffer logits = scorer.score(histories);
    int base = logits.position();
    Ranked[] result = new Ranked[histories.rows()];
    for (int r = 0; r < histories.rows(); r++) {
      // the same ranking and softmax code as infer.Recommender, on a heap copy of the row
      logits.get(base + r * items, row, 0, items);
      Ranking.Ranked ranked = Ranking.rank(row, items, histories.row(r), null, k);
      float[] scores = new float[ranked.scores().length];
      for (int j = 0; j < scores.length; j++) {
        scores[j] = (float) ranked.scores()[j];
      }
      result[r] = new Ranked(ranked.items(), scores);
    }
    return result;
  }

  /**
   * Gives back the network's native memory now rather than when the garbage collector finds the scorer; afterwards
   * {@link #recommend} fails. Closing twice does nothing.
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      scorer.close();
    }
  }

  /** Whether {@link #close} has run; for the pool and tests. */
  boolean isClosed() {
    return closed;
  }

  /**
   * One user's recommendations.
   *
   * @param items item columns, best first
   * @param scores each item's probability under the user's multinomial
   */
  public record Ranked(int[] items, float[] scores) {}
}
