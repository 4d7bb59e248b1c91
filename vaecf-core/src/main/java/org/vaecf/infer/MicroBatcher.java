package org.vaecf.infer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>Failures. A {@link RuntimeException} thrown while one batch is scored belongs to that batch: its callers get it,
 * and the loop takes the next batch. Anything else that ends a scoring loop — an {@link Error} from the product
 * ({@link OutOfMemoryError} while rows are allocated, {@link StackOverflowError}, an {@link AssertionError}), an
 * observer that throws, a fault of this class — stops the whole batcher: the callers of the batch being scored, every
 * caller queued and every later one get a {@link RecommenderFailedException} at once, the error is logged, and
 * {@link #failure()} reports it (the service's health check turns on it). Callers wait without a timeout, so no way
 * out of a scoring loop may leave a job unanswered.
 */
final class MicroBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

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
  private final List<Scorer> scorers;
  private volatile boolean closed;
  /** What stopped the scoring loops (see the class comment); null while they serve. */
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** What a scoring loop needs of a scorer: a {@link ModelScorer} in service, a stand-in in tests. */
  interface Scorer extends AutoCloseable {
    /** Most users per {@link #score} call. */
    int capacity();

    /** Logits per user. */
    int items();

    /** Row-major logits of each row of {@code users}, valid until the next call. */
    FloatBuffer score(CsrMatrix users);

    @Override
    void close();

    /** {@code scorer} seen as a scoring loop's scorer. */
    static Scorer of(ModelScorer scorer) {
      return new Scorer() {
        @Override
        public int capacity() {
          return scorer.capacity();
        }

        @Override
        public int items() {
          return scorer.items();
        }

        @Override
        public FloatBuffer score(CsrMatrix users) {
          return scorer.score(users);
        }

        @Override
        public void close() {
          scorer.close();
        }
      };
    }
  }

  /** One history waiting to be scored, and then its logits. */
  private static final class Job {
    final int[] history;
    final CountDownLatch done = new CountDownLatch(1);
    /** The logits once scored; null if the batch threw or the job was refused (the batcher closed or failed). */
    float[] logits;
    /** What the job's batch threw; null if it was scored or refused. */
    RuntimeException failure;

    Job(int[] history) {
      this.history = history;
    }
  }

  /** Starts one scoring loop per scorer, on the shared scoring threads. */
  MicroBatcher(List<? extends Scorer> scorers, RecommenderSettings settings) {
    this.maxWaitNanos = settings.maxWait().toNanos();
    this.observer = settings.observer();
    this.loopsEnded = new CountDownLatch(scorers.size());
    this.scorers = List.copyOf(scorers);
    this.spareRows = new ArrayBlockingQueue<>(Math.max(1, settings.maxBatch() * scorers.size()));
    for (Scorer scorer : scorers) {
      // allocated here: an allocation failing on the scoring thread before scoringLoop's catch could reach the batch
      // would end the loop with nobody to serve the queue or to refuse it
      List<Job> batch = new ArrayList<>(scorer.capacity());
      SCORING_THREADS.execute(() -> scoringLoop(scorer, batch));
    }
  }

  /**
   * The logits of each history (sorted distinct item indexes), in order; blocks until all are scored. The caller owns
   * the rows and may hand them back with {@link #recycle} once done with them.
   *
   * @throws RecommenderFailedException if the scoring failed beyond one batch, before or while waiting
   * @throws IllegalStateException if the batcher is or gets closed first
   * @throws RuntimeException what scoring the batch of one of the histories threw
   */
  List<float[]> score(List<int[]> histories) {
    List<Job> jobs = new ArrayList<>(histories.size());
    for (int[] history : histories) {
      jobs.add(new Job(history));
    }
    if (stopped()) {
      throw refusal();
    }
    queue.addAll(jobs);
    if (stopped()) {
      refuseWaiting(); // close() or a failing loop may have emptied the queue before our jobs were added
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
      if (job.logits == null) {
        throw refusal();
      }
      rows.add(job.logits);
    }
    return rows;
  }

  /** Takes back a row returned by {@link #score} for reuse; the caller must not touch it afterwards. */
  void recycle(float[] row) {
    spareRows.offer(row); // when the pool is full the row is left to the garbage collector
  }

  /** What stopped the scoring (see the class comment); empty while the batcher serves or after a plain close. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  private boolean stopped() {
    return closed || failure.get() != null;
  }

  private void scoringLoop(Scorer scorer, List<Job> batch) {
    Thread self = Thread.currentThread();
    try {
      synchronized (lifecycle) {
        if (stopped()) {
          return;
        }
        running.add(self);
      }
      try {
        run(scorer, batch);
      } finally {
        synchronized (lifecycle) {
          running.remove(self);
          Thread.interrupted(); // a close() interrupt must not follow the thread into its next loop
        }
      }
    } catch (Throwable e) {
      // Caught, not rethrown: the thread belongs to the shared pool, and what matters is that the callers hear of it
      // and the failure is logged and reported (stop does all three).
      stop(e, batch);
    } finally {
      loopsEnded.countDown();
    }
  }

  /**
   * Scores batches until the batcher closes or fails. Returns normally only then; a RuntimeException of one batch is
   * handed to its callers ({@link #scoreBatch}), anything else that escapes is for {@link #stop}.
   */
  private void run(Scorer scorer, List<Job> batch) {
    int capacity = scorer.capacity();
    while (!stopped()) {
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
        if (stopped()) {
          break; // close() or a failing loop interrupts the thread; the jobs taken so far are refused below
        }
        // An interrupt from anyone else must not end the loop: nobody would be left to serve the queue. The jobs
        // taken so far are scored now.
      }
      if (!batch.isEmpty()) {
        scoreBatch(scorer, batch);
        batch.clear();
      }
    }
    refuseAll(batch);
    refuseWaiting();
  }

  private void scoreBatch(Scorer scorer, List<Job> batch) {
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
      // confined to this batch (a row the scorer refuses, say): its callers get it, the loop serves on
      for (Job job : batch) {
        job.logits = null;
        job.failure = e;
      }
    }
    observer.batchScored(batch.size(), System.nanoTime() - started);
    for (Job job : batch) {
      job.done.countDown();
    }
  }

  /**
   * Stops the batcher after {@code cause} ended a scoring loop: the loop's jobs ({@code batch}), the queued ones and
   * every later one are refused with a {@link RecommenderFailedException}, the other loops are stopped, and the
   * cause is logged.
   *
   * <p>Why stop rather than serve on, though the error may have touched one batch only (an {@link OutOfMemoryError}
   * while a large one's rows were allocated): an {@link Error} leaves from wherever it struck, so the scorer's reused
   * buffers may be half-written or a native call cut short; and an OutOfMemoryError says the heap is exhausted for
   * every thread, so later batches would likely fail too, some answered and some not. A service that answers now and
   * then while its health check says ok is harder to notice and to mend than one that says it is broken: stopped, it
   * fails fast, a load balancer routes around it, and an operator or orchestrator replaces it (a reload builds a
   * fresh recommender). With several scorers the others stop too, for the same reason: a failure that shows on every
   * other request is the hardest kind to see.
   *
   * <p>The jobs are released before anything is allocated (the exception each caller gets is made on its own
   * thread, see {@link #refusal}): after an OutOfMemoryError the waiting callers must not depend on memory being
   * found.
   */
  private void stop(Throwable cause, List<Job> batch) {
    boolean first = failure.compareAndSet(null, cause);
    int users = batch.size();
    refuseAll(batch);
    refuseWaiting();
    synchronized (lifecycle) {
      running.forEach(Thread::interrupt); // wakes the other loops, which see the failure and end
    }
    if (first) {
      LOG.error("a scoring thread failed (users in its batch: {}); the recommender now refuses every request",
          users, cause);
    } else {
      LOG.error("another scoring thread failed (users in its batch: {})", users, cause);
    }
  }

  /** Releases the jobs of {@code batch} not yet answered as refused, and empties it. Allocates nothing. */
  private static void refuseAll(List<Job> batch) {
    for (int i = 0; i < batch.size(); i++) {
      refuse(batch.get(i));
    }
    batch.clear();
  }

  /** Releases every queued job as refused. Allocates nothing. */
  private void refuseWaiting() {
    for (Job job = queue.poll(); job != null; job = queue.poll()) {
      refuse(job);
    }
  }

  private static void refuse(Job job) {
    if (job.done.getCount() > 0) {
      job.logits = null;
      job.failure = null;
      job.done.countDown(); // the caller sees neither logits nor a failure and asks refusal() why
    }
  }

  /** Why a job was refused, made on the caller's thread: the batcher failed, or else it is closed. */
  private IllegalStateException refusal() {
    Throwable cause = failure.get();
    return cause != null
        ? new RecommenderFailedException(cause)
        : new IllegalStateException("the recommender is closed");
  }

  /**
   * Stops the scoring threads; requests still waiting fail with an {@link IllegalStateException}. Once the threads
   * have ended, the scorers' direct memory is given back at once — unless the scoring failed (see the comment inside).
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
    refuseWaiting();
    // After a failure the scorers are left to the collector as well: an Error can strike while a product is being
    // handed to the worker threads of Parallel, and then the scoring loop ends while a worker may still be writing
    // into the scorer's matrices; the collector frees them only once nothing, that worker included, holds them.
    if (ended && failure.get() == null) {
      scorers.forEach(Scorer::close); // no thread can touch them any more; otherwise the collector frees them
    }
  }
}
