package org.vaecf.infer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.TopK;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;

/**
 * Top-k recommendations for every user of a users × items history matrix — the batch counterpart of
 * {@link Recommender}, like Spark's {@code recommendForAllUsers}: users are folded in a batch at a time (one matrix
 * product per batch), each row is ranked with its history excluded, and the results are handed over batch by batch in
 * row order, so output can stream without holding every user in memory.
 *
 * <p>One worker per thread, each with its own network, takes the next batch, multiplies it on its own core (OpenBLAS
 * runs one thread per call during a run), ranks its rows and hands them to the sink when their turn comes, so every
 * core does one thing at a time. Measured on 2 cores at 20,108 items: one-core products side by side run 16% faster
 * than the same products split over both cores one at a time, and the whole run went from 4,600 users/s (one shared
 * product overlapped with ranking threads, which fought it for the cores) to 7,200. Not thread-safe: one run at a
 * time.
 */
public final class BulkRecommender implements AutoCloseable {
  /** Users per product unless told otherwise: the paper's training batch, large enough for GEMM to be compute-bound. */
  public static final int DEFAULT_BATCH = 500;

  private final List<ModelScorer> scorers = new ArrayList<>();
  private final List<Parallel> inlineLoops = new ArrayList<>();
  private final ExecutorService workers;
  private final int items;

  /**
   * Receives the results batch by batch, in two steps: {@link #prepare} on the worker that ranked the batch, while
   * other workers multiply and rank theirs (formatting output lines, say), then {@link #write} in row order, one batch
   * at a time. Keeping {@code write} short keeps the workers from queueing for their turn.
   *
   * @param <T> what {@code prepare} makes of a batch
   */
  public interface Sink<T> {
    /**
     * Prepares one batch for writing; called concurrently for different batches.
     *
     * @param firstRow the history row of {@code ranked[0]}
     * @param ranked the item indexes (best first) and probabilities of rows {@code firstRow ..}
     */
    T prepare(int firstRow, Ranking.Ranked[] ranked) throws Exception;

    /** Writes one prepared batch; called on one thread at a time, batches in row order. */
    void write(int firstRow, int rows, T prepared) throws Exception;
  }

  /**
   * @param model the model
   * @param batchSize users per product, {@code >= 1}
   * @param threads workers, each with its own network ({@code >= 1}); one per core uses the machine
   */
  public BulkRecommender(TrainedModel model, int batchSize, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    for (int w = 0; w < threads; w++) {
      Parallel inline = new Parallel(1); // the sparse layer runs on the worker's own thread
      inlineLoops.add(inline);
      scorers.add(ModelScorer.snapshot(model.newNetwork(batchSize, inline)));
    }
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "vaecf-bulk");
              thread.setDaemon(true);
              return thread;
            });
    this.items = model.items().size();
  }

  /**
   * Ranks the top {@code k} items of every row of {@code histories} (users × the model's items), each row's own items
   * excluded, handing each batch to {@code sink}. OpenBLAS runs one thread per call meanwhile (restored afterwards).
   *
   * @throws Exception whatever {@code sink} throws; the run stops there
   */
  public <T> void recommendAll(CsrMatrix histories, int k, Sink<T> sink) throws Exception {
    checkColumns(histories);
    Turns turns = new Turns();
    ThreadLocal<RankScratch> scratch = ThreadLocal.withInitial(() -> new RankScratch(items, k));
    runWorkers(histories, (scorer, batchNumber, first, batch) -> {
      FloatBuffer logits = scorer.score(batch);
      Ranking.Ranked[] ranked = rank(batch, logits, k, scratch.get());
      T prepared = sink.prepare(first, ranked);
      turns.await(batchNumber);
      try {
        sink.write(first, ranked.length, prepared);
      } finally {
        turns.pass(batchNumber);
      }
    }, turns);
  }

  /** A worker's reusable ranking space: one logit row and one selection heap. */
  private record RankScratch(float[] row, TopK topK) {
    RankScratch(int items, int k) {
      this(new float[items], new TopK(Math.max(1, Math.min(k, items))));
    }
  }

  /**
   * Runs only the products of {@link #recommendAll}, as it runs them (the workers side by side, one OpenBLAS thread
   * each, nothing ranked or handed over), and returns the seconds they took.
   */
  public double productsOnlySeconds(CsrMatrix histories) throws Exception {
    checkColumns(histories);
    long started = System.nanoTime();
    runWorkers(histories, (scorer, batchNumber, first, batch) -> scorer.score(batch), new Turns());
    return (System.nanoTime() - started) / 1e9;
  }

  /**
   * Runs the same products one at a time, each split over {@code blasThreads} OpenBLAS threads, and returns the
   * seconds they took: the other way the machine can do them, so that a comparison can take the faster of the two.
   */
  public double sequentialProductsSeconds(CsrMatrix histories, int blasThreads) {
    checkColumns(histories);
    int previous = Blas.threads();
    Blas.setThreads(blasThreads);
    try {
      ModelScorer scorer = scorers.get(0);
      int capacity = scorer.capacity();
      long started = System.nanoTime();
      for (int first = 0; first < histories.rows(); first += capacity) {
        scorer.score(histories.selectRows(range(first, Math.min(capacity, histories.rows() - first))));
      }
      return (System.nanoTime() - started) / 1e9;
    } finally {
      Blas.setThreads(previous);
    }
  }

  /** The work of one batch on one worker. */
  @FunctionalInterface
  private interface BatchWork {
    void run(ModelScorer scorer, int batchNumber, int firstRow, CsrMatrix batch) throws Exception;
  }

  private void runWorkers(CsrMatrix histories, BatchWork work, Turns turns) throws Exception {
    int capacity = scorers.get(0).capacity();
    int batches = (histories.rows() + capacity - 1) / capacity;
    AtomicInteger next = new AtomicInteger();
    int previousThreads = Blas.threads();
    Blas.setThreads(1);
    try {
      List<Future<Void>> running = new ArrayList<>();
      for (ModelScorer scorer : scorers) {
        Callable<Void> worker = () -> {
          try {
            for (int b = next.getAndIncrement(); b < batches && !turns.failed(); b = next.getAndIncrement()) {
              int first = b * capacity;
              int rows = Math.min(capacity, histories.rows() - first);
              work.run(scorer, b, first, histories.selectRows(range(first, rows)));
            }
          } catch (Exception | Error e) {
            turns.fail(e); // the others stop taking batches and stop waiting for this one's turn
            throw e;
          }
          return null;
        };
        running.add(workers.submit(worker));
      }
      for (Future<Void> future : running) {
        try {
          future.get();
        } catch (ExecutionException e) {
          // reported below: the first failure, not a worker's "another batch failed" that followed it
        }
      }
      Throwable cause = turns.cause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
    } finally {
      Blas.setThreads(previousThreads);
    }
  }

  private Ranking.Ranked[] rank(CsrMatrix batch, FloatBuffer logits, int k, RankScratch scratch) {
    Ranking.Ranked[] ranked = new Ranking.Ranked[batch.rows()];
    float[] row = scratch.row();
    for (int r = 0; r < batch.rows(); r++) {
      logits.get(r * items, row);
      ranked[r] = Ranking.rank(row, items, batch.row(r), null, k, scratch.topK());
    }
    return ranked;
  }

  /** Hands the sink to the batches in order: batch {@code b} waits until batch {@code b - 1} has passed. */
  private static final class Turns {
    private int next;
    private boolean failed;
    private Throwable cause;

    synchronized void await(int batchNumber) throws InterruptedException {
      while (next != batchNumber && !failed) {
        wait();
      }
      if (failed) {
        throw new IllegalStateException("another batch failed", cause);
      }
    }

    synchronized void pass(int batchNumber) {
      next = batchNumber + 1;
      notifyAll();
    }

    /** Records a worker's failure; the first one is what the run reports. */
    synchronized void fail(Throwable failure) {
      if (!failed) {
        cause = failure;
      }
      failed = true;
      notifyAll();
    }

    synchronized Throwable cause() {
      return cause;
    }

    synchronized boolean failed() {
      return failed;
    }
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

  /** Stops the workers and gives the networks' direct memory back once they have ended. */
  @Override
  public void close() {
    workers.shutdownNow();
    boolean ended;
    try {
      ended = workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    if (ended) {
      scorers.forEach(ModelScorer::close);
    }
    inlineLoops.forEach(Parallel::close);
  }
}
