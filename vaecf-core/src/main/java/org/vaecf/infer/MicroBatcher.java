package org.vaecf.infer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.vaecf.data.CsrMatrix;
import org.vaecf.model.ModelScorer;

/**
 * Groups the fold-in products of concurrent callers: each scoring thread owns a prediction network, takes every
 * waiting history (up to the scorer's capacity), scores them as one batch and hands each caller a copy of its own
 * logit row. Callers rank their row on their own thread, so ranking overlaps the next product. Several scoring
 * threads share one queue.
 *
 * <p>A row's logits do not depend on the other rows of its batch (the products compute each output row from its own
 * input row), so a caller gets the same answer alone or in company.
 */
final class MicroBatcher implements AutoCloseable {
  private final long maxWaitNanos;
  private final BatchObserver observer;
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  /**
   * Logit rows handed back by callers, for the next batches: a row is items × 4 bytes (80 kB at 20,000 items), so a
   * service allocating one per request would make most of its garbage from them.
   */
  private final BlockingQueue<float[]> spareRows;
  /**
   * Scoring threads outlive a batcher and serve the next one: a service swapping models would otherwise start new
   * threads with every model, and threads that ran products leave native memory behind (in a soak with a swap every
   * 40 s the service grew by 14 MB per swap with new threads, by 5 MB with reused ones).
   */
  private static final ExecutorService SCORING_THREADS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "vaecf-batcher");
            thread.setDaemon(true);
            return thread;
          });

  /** Guards {@link #closed} and {@link #running}, so that an interrupt never reaches a thread lent to another batcher. */
  private final Object lifecycle = new Object();
  private final Set<Thread> running = new HashSet<>();
  private final CountDownLatch loopsEnded;
  private final List<ModelScorer> scorers;
  private volatile boolean closed;

  /** One history waiting to be scored, and then its logits. */
  private static final class Job {
    final int[] history;
    final CountDownLatch done = new CountDownLatch(1);
    float[] logits;
    RuntimeException failure;

    Job(int[] history) {
      this.history = history;
    }
  }

  /** Starts one scoring loop per scorer, on the shared scoring threads. */
  MicroBatcher(List<ModelScorer> scorers, RecommenderSettings settings) {
    this.maxWaitNanos = settings.maxWait().toNanos();
    this.observer = settings.observer();
    this.loopsEnded = new CountDownLatch(scorers.size());
    this.scorers = List.copyOf(scorers);
    this.spareRows = new ArrayBlockingQueue<>(Math.max(1, settings.maxBatch() * scorers.size()));
    for (ModelScorer scorer : scorers) {
      SCORING_THREADS.execute(() -> scoringLoop(scorer));
    }
  }

  /**
   * The logits of each history (sorted distinct item indexes), in order; blocks until all are scored. The caller owns
   * the rows and may hand them back with {@link #recycle} once done with them.
   *
   * @throws IllegalStateException if the batcher is or gets closed first
   */
  List<float[]> score(List<int[]> histories) {
    List<Job> jobs = new ArrayList<>(histories.size());
    for (int[] history : histories) {
      jobs.add(new Job(history));
    }
    if (closed) {
      throw closedException();
    }
    queue.addAll(jobs);
    if (closed) {
      failWaiting(); // close() may have drained the queue before our jobs were added
    }
    List<float[]> rows = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      try {
        job.done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a recommendation", e);
      }
      if (job.failure != null) {
        throw job.failure;
      }
      rows.add(job.logits);
    }
    return rows;
  }

  /** Takes back a row returned by {@link #score} for reuse; the caller must not touch it afterwards. */
  void recycle(float[] row) {
    spareRows.offer(row); // when the pool is full the row is left to the garbage collector
  }

  private void scoringLoop(ModelScorer scorer) {
    Thread self = Thread.currentThread();
    try {
      synchronized (lifecycle) {
        if (closed) {
          return;
        }
        running.add(self);
      }
      try {
        run(scorer);
      } finally {
        synchronized (lifecycle) {
          running.remove(self);
          Thread.interrupted(); // a close() interrupt must not follow the thread into its next loop
        }
      }
    } finally {
      loopsEnded.countDown();
    }
  }

  private void run(ModelScorer scorer) {
    int capacity = scorer.capacity();
    List<Job> batch = new ArrayList<>(capacity);
    while (!closed) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, capacity - batch.size());
        if (maxWaitNanos > 0) {
          long deadline = System.nanoTime() + maxWaitNanos;
          while (batch.size() < capacity) {
            Job next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
              break;
            }
            batch.add(next);
            queue.drainTo(batch, capacity - batch.size());
          }
        }
      } catch (InterruptedException e) {
        break; // close() interrupts the thread; the jobs taken so far are failed below
      }
      scoreBatch(scorer, batch);
      batch.clear();
    }
    for (Job job : batch) {
      fail(job, closedException());
    }
    failWaiting();
  }

  private void scoreBatch(ModelScorer scorer, List<Job> batch) {
    long started = System.nanoTime();
    try {
      CsrMatrix.Builder rows = new CsrMatrix.Builder(scorer.items());
      for (Job job : batch) {
        rows.addRow(job.history);
      }
      FloatBuffer logits = scorer.score(rows.build());
      int items = scorer.items();
      for (int r = 0; r < batch.size(); r++) {
        float[] row = spareRows.poll();
        if (row == null) {
          row = new float[items];
        }
        logits.get(r * items, row);
        batch.get(r).logits = row;
      }
    } catch (RuntimeException e) {
      for (Job job : batch) {
        job.failure = e;
      }
    }
    observer.batchScored(batch.size(), System.nanoTime() - started);
    for (Job job : batch) {
      job.done.countDown();
    }
  }

  private void failWaiting() {
    List<Job> left = new ArrayList<>();
    queue.drainTo(left);
    for (Job job : left) {
      fail(job, closedException());
    }
  }

  private static void fail(Job job, RuntimeException failure) {
    job.failure = failure;
    job.done.countDown();
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("the recommender is closed");
  }

  /**
   * Stops the scoring threads; requests still waiting fail with an {@link IllegalStateException}. Once the threads
   * have ended, the scorers' direct memory is given back at once.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      running.forEach(Thread::interrupt); // wakes a loop waiting for work
    }
    boolean ended;
    try {
      ended = loopsEnded.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    failWaiting();
    if (ended) {
      scorers.forEach(ModelScorer::close); // no thread can touch them any more; otherwise the collector frees them
    }
  }
}
