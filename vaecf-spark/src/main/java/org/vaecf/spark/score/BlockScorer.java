package org.vaecf.spark.score;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.TopK;
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
 */
public final class BlockScorer {
  private final ModelScorer scorer;
  private final int items;

  BlockScorer(TrainedModel model, int capacity) {
    Blas.setThreads(1);
    // One thread: the network's elementwise loops run on the task's own thread (a Parallel of one starts none).
    this.scorer = new ModelScorer(model.newNetwork(capacity, new Parallel(1)));
    this.items = model.items().size();
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
    FloatBuffer logits = scorer.score(histories);
    int base = logits.position();
    TopK topK = new TopK(Math.min(k, items));
    int[] chosen = new int[topK.k()];
    int[] excluded = histories.colIndexes();
    Ranked[] result = new Ranked[histories.rows()];
    for (int r = 0; r < histories.rows(); r++) {
      int offset = base + r * items;
      double logNormalizer = logSumExp(logits, offset);
      int length =
          topK.select(logits, offset, items, excluded, histories.rowStart(r), histories.rowEnd(r), chosen);
      float[] scores = new float[length];
      for (int j = 0; j < length; j++) {
        scores[j] = (float) Math.exp(logits.get(offset + chosen[j]) - logNormalizer);
      }
      result[r] = new Ranked(Arrays.copyOf(chosen, length), scores);
    }
    return result;
  }

  /**
   * {@code log Σ exp(logit)} over one row, shifted by the row's maximum; in double and with {@code Math.exp}, as
   * {@code infer.Recommender} computes it, so the two give the same probabilities.
   */
  private double logSumExp(FloatBuffer logits, int offset) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < items; i++) {
      max = Math.max(max, logits.get(offset + i));
    }
    double sum = 0;
    for (int i = 0; i < items; i++) {
      sum += Math.exp(logits.get(offset + i) - max);
    }
    return max + Math.log(sum);
  }

  /**
   * One user's recommendations.
   *
   * @param items item columns, best first
   * @param scores each item's probability under the user's multinomial
   */
  public record Ranked(int[] items, float[] scores) {}
}
