package org.vaecf.infer;

import java.nio.FloatBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;

/**
 * Top-k recommendations for every user of a users × items history matrix — the batch counterpart of
 * {@link Recommender}, like Spark's {@code recommendForAllUsers}: users are folded in a batch at a time (one matrix
 * product per batch), each row is ranked with its history excluded, and the results are handed over batch by batch in
 * row order, so output can stream without holding every user in memory.
 *
 * <p>Two copies of the network alternate, so that batch {@code b} is ranked and handed to the sink on a second thread
 * while the products of batch {@code b + 1} run: ranking (a softmax normaliser over all items and a top-k selection
 * per row) and writing then fill the time the products leave a core idle, instead of adding to it. Not thread-safe:
 * one run at a time.
 */
public final class BulkRecommender implements AutoCloseable {
  /** Users per product unless told otherwise: the paper's training batch, large enough for GEMM to be compute-bound. */
  public static final int DEFAULT_BATCH = 500;

  private final Parallel parallel;
  private final ModelScorer[] scorers;
  private final ExecutorService handOver;
  private final int items;

  /** Receives the results of one batch; called on one thread, batches in row order. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param firstRow the history row of {@code ranked[0]}
     * @param ranked the item indexes (best first) and probabilities of rows {@code firstRow ..}
     */
    void accept(int firstRow, Ranking.Ranked[] ranked) throws Exception;
  }

  /**
   * @param model the model
   * @param batchSize users per product, {@code >= 1}
   * @param threads threads for the sparse layer and the ranking ({@code >= 1}); BLAS threads are set by the caller
   */
  public BulkRecommender(TrainedModel model, int batchSize, int threads) {
    this.parallel = new Parallel(threads);
    this.scorers =
        new ModelScorer[] {
          ModelScorer.snapshot(model.newNetwork(batchSize, parallel)),
          ModelScorer.snapshot(model.newNetwork(batchSize, parallel))
        };
    this.handOver =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "vaecf-bulk-ranking");
              thread.setDaemon(true);
              return thread;
            });
    this.items = model.items().size();
  }

  /**
   * Ranks the top {@code k} items of every row of {@code histories} (users × the model's items), each row's own items
   * excluded, handing each batch to {@code sink}.
   *
   * @throws Exception whatever {@code sink} throws; the run stops there
   */
  public void recommendAll(CsrMatrix histories, int k, Sink sink) throws Exception {
    checkColumns(histories);
    int capacity = scorers[0].capacity();
    Future<?> previous = null;
    int batchNumber = 0;
    for (int first = 0; first < histories.rows(); first += capacity, batchNumber++) {
      int rows = Math.min(capacity, histories.rows() - first);
      CsrMatrix batch = histories.selectRows(range(first, rows));
      // this network's output was last read by the task of batch - 2, which ended before batch - 1 was handed over
      FloatBuffer logits = scorers[batchNumber % 2].score(batch);
      await(previous);
      int firstRow = first;
      previous = handOver.submit(() -> {
        sink.accept(firstRow, rank(batch, logits, k));
        return null;
      });
    }
    await(previous);
  }

  private Ranking.Ranked[] rank(CsrMatrix batch, FloatBuffer logits, int k) {
    Ranking.Ranked[] ranked = new Ranking.Ranked[batch.rows()];
    parallel.forRange(
        batch.rows(),
        8,
        (from, to) -> {
          float[] row = new float[items];
          for (int r = from; r < to; r++) {
            logits.get(r * items, row);
            ranked[r] = Ranking.rank(row, items, batch.row(r), null, k);
          }
        });
    return ranked;
  }

  private static void await(Future<?> task) throws Exception {
    if (task == null) {
      return;
    }
    try {
      task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Runs only the products of {@link #recommendAll} — the same batches through the same network, nothing ranked or
   * handed over — and returns the seconds they took: the speed limit that {@code recommendAll} is measured against.
   */
  public double productsOnlySeconds(CsrMatrix histories) {
    checkColumns(histories);
    int capacity = scorers[0].capacity();
    long started = System.nanoTime();
    for (int first = 0; first < histories.rows(); first += capacity) {
      int rows = Math.min(capacity, histories.rows() - first);
      scorers[0].score(histories.selectRows(range(first, rows)));
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private void checkColumns(CsrMatrix histories) {
    if (histories.cols() != items) {
      throw new IllegalArgumentException(
          "histories have " + histories.cols() + " item columns, the model has " + items);
    }
  }

  private static int[] range(int first, int count) {
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = first + i;
    }
    return rows;
  }

  /** Stops the ranking thread and gives the networks' direct memory back once it has ended. */
  @Override
  public void close() {
    handOver.shutdownNow();
    boolean ended;
    try {
      ended = handOver.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    parallel.close();
    if (ended) {
      for (ModelScorer scorer : scorers) {
        scorer.close();
      }
    }
  }
}
