package org.vaecf.linalg;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over {@code [0, n)} into one contiguous chunk per thread ({@link #forChunks}): the split depends only
 * on {@code n} and the thread count, and chunks write disjoint ranges, so results never depend on scheduling. The
 * calling thread runs the first chunk itself. For work that should not wait on a descheduled thread,
 * {@link #forEachTask} hands out small tasks one at a time instead.
 *
 * <p>Handing a chunk to a sleeping thread and waiting for a chunk to finish each cost a wake-up, 40–70 µs on this
 * project's virtual machines, against the 5–500 µs that most loops of a training step take. A {@code Parallel}
 * built with a spin time ({@link #Parallel(int, Duration)}, the trainer's) keeps its threads awake that long after
 * their last chunk, polling for the next one, and the caller polls for the end of a loop before it sleeps: a hand-over
 * then takes about a microsecond (measured: 66 µs → 0.8 µs per call). The price is the spin time of a core after the
 * last loop, so it is for threads that own their cores; the default spins not at all.
 */
public final class Parallel implements AutoCloseable {
  /** The work on one chunk {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    /** Processes indexes {@code from} (inclusive) to {@code to} (exclusive). */
    void run(int from, int to);
  }

  /** The work on one chunk {@code [from, to)}, told its chunk number (for per-chunk scratch buffers). */
  @FunctionalInterface
  public interface ChunkBody {
    /** Processes indexes {@code from} (inclusive) to {@code to} (exclusive) as chunk {@code chunk}. */
    void run(int chunk, int from, int to);
  }

  private final int threads;
  private final ExecutorService workers;
  private final boolean shared;
  private final long spinNanos;
  private static final ConcurrentMap<Integer, Parallel> SHARED = new ConcurrentHashMap<>();

  /**
   * @param threads number of chunks run at once, {@code >= 1}; one runs on the caller
   */
  public Parallel(int threads) {
    this(threads, Duration.ZERO, false);
  }

  /**
   * A {@code Parallel} whose idle threads, and whose callers waiting for the end of a loop, poll for {@code spin}
   * before they sleep (see the class comment): for a loop-heavy computation that owns its cores, such as training.
   *
   * @param threads number of chunks run at once, {@code >= 1}; one runs on the caller
   * @param spin how long a thread polls before sleeping, {@code >= 0}
   */
  public Parallel(int threads, Duration spin) {
    this(threads, spin, false);
  }

  private Parallel(int threads, Duration spin, boolean shared) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (spin.isNegative()) {
      throw new IllegalArgumentException("spin must be >= 0, got " + spin);
    }
    this.shared = shared;
    this.threads = threads;
    this.spinNanos = spin.toNanos();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "vaecf-worker");
          thread.setDaemon(true);
          return thread;
        };
    this.workers =
        threads > 1
            ? new ThreadPoolExecutor(
                threads - 1, threads - 1, 0L, TimeUnit.MILLISECONDS, new PollingQueue(spinNanos), factory)
            : null;
  }

  /**
   * A process-wide {@code Parallel} of {@code threads} threads, created on first use and never closed ({@link #close}
   * does nothing on it): for objects that come and go while the process lives, such as the recommenders of a service
   * that swaps models. Threads that have run OpenBLAS products keep native memory until they end, so a service that
   * started new ones with every model grew by megabytes per swap (measured in the soak benchmark: +5.6% in nine swaps
   * with a pool per model).
   */
  public static Parallel shared(int threads) {
    return SHARED.computeIfAbsent(threads, count -> new Parallel(count, Duration.ZERO, true));
  }

  /** Number of threads. */
  public int threads() {
    return threads;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks of at least {@code minChunk}
   * indexes each, and waits for all of them.
   */
  public void forRange(int n, int minChunk, RangeBody body) {
    forChunks(n, minChunk, (chunk, from, to) -> body.run(from, to));
  }

  /**
   * Like {@link #forRange}, telling each chunk its number in {@code [0, threads())}; no two chunks of one call share a
   * number, so a chunk may use scratch space indexed by it.
   */
  public void forChunks(int n, int minChunk, ChunkBody body) {
    int chunks = Math.max(1, Math.min(threads, n / Math.max(1, minChunk)));
    if (chunks == 1 || workers == null) {
      body.run(0, 0, n);
      return;
    }
    Join join = new Join(chunks);
    int handedOut = 1; // the caller's own chunk, then each one the workers took
    try {
      for (int c = 1; c < chunks; c++) {
        int from = (int) ((long) n * c / chunks);
        int to = (int) ((long) n * (c + 1) / chunks);
        int chunk = c;
        workers.execute(() -> join.runChunk(body, chunk, from, to));
        handedOut++;
      }
    } catch (Throwable e) {
      // the pool refused a chunk, or its task could not be allocated: the chunks handed out so far still run and
      // are waited for below (they write the caller's buffers); the others never will
      join.abandon(chunks - handedOut, e);
    }
    join.runChunk(body, 0, 0, (int) ((long) n / chunks)); // no lambda: nothing to allocate before its count-down
    join.await(spinNanos); // also when the caller's chunk failed: the others write the caller's buffers
  }

  /** Waits for the chunks (or tasks) of one loop, and passes on the first failure. */
  private static final class Join {
    private final AtomicInteger remaining;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread waiter = Thread.currentThread();

    /** @param chunks the chunks or tasks to wait for, the caller's own included */
    Join(int chunks) {
      this.remaining = new AtomicInteger(chunks);
    }

    /** Runs one chunk and counts it, whatever it throws. */
    void runChunk(ChunkBody body, int chunk, int from, int to) {
      try {
        body.run(chunk, from, to);
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      } finally {
        countDown(1);
      }
    }

    /** Runs one task and counts it, whatever it throws. */
    void runTask(TaskBody body, int worker, int task) {
      try {
        body.run(worker, task);
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      } finally {
        countDown(1);
      }
    }

    /** Counts {@code count} chunks that will never run as done, and records why. */
    void abandon(int count, Throwable cause) {
      failure.compareAndSet(null, cause);
      countDown(count);
    }

    private void countDown(int count) {
      if (count > 0 && remaining.addAndGet(-count) == 0) {
        LockSupport.unpark(waiter);
      }
    }

    /** Polls for up to {@code spinNanos}, then sleeps until the last chunk wakes it; rethrows the first failure. */
    void await(long spinNanos) {
      if (remaining.get() > 0 && spinNanos > 0) {
        long start = System.nanoTime();
        while (remaining.get() > 0 && System.nanoTime() - start < spinNanos) {
          Thread.onSpinWait();
        }
      }
      boolean interrupted = false;
      while (remaining.get() > 0) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted(); // a pending interrupt would turn the wait into a busy loop
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      rethrow(failure.get());
    }
  }

  /**
   * The workers' queue: a worker that finds it empty polls it for {@code spinNanos} before it blocks, so a chunk
   * handed over soon after the last one starts without a wake-up.
   */
  private static final class PollingQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private final long spinNanos;

    PollingQueue(long spinNanos) {
      this.spinNanos = spinNanos;
    }

    @Override
    public Runnable take() throws InterruptedException {
      if (spinNanos > 0) {
        long start = System.nanoTime();
        do {
          Runnable task = poll(); // an empty queue answers without taking its lock
          if (task != null) {
            return task;
          }
          Thread.onSpinWait();
        } while (System.nanoTime() - start < spinNanos);
      }
      return super.take();
    }
  }

  private static void rethrow(Throwable thrown) {
    if (thrown instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (thrown instanceof Error error) {
      throw error;
    }
    if (thrown != null) {
      throw new IllegalStateException(thrown);
    }
  }

  /** One task of {@link #forEachTask}, told the number of the thread running it (for per-thread scratch space). */
  @FunctionalInterface
  public interface TaskBody {
    /** Runs task {@code task} on thread {@code worker} (in {@code [0, threads())}; 0 is the caller). */
    void run(int worker, int task);
  }

  /**
   * Runs tasks {@code 0 .. tasks−1}, each exactly once, handed out one at a time to whichever thread asks next: the
   * caller and the workers, until none is left; returns when all have run. Unlike {@link #forChunks}, a thread that
   * the operating system deschedules holds up at most the one task it is running — the others take over the rest —
   * so a loop of many small tasks keeps its time on a machine busy with other work (a service's HTTP threads). Which
   * thread runs a task varies; the tasks must not depend on it. The worker number is unique within one call only:
   * concurrent calls on one {@code Parallel} (a {@link #shared} one, say) reuse the numbers, so scratch space indexed
   * by it must belong to the call. A task must not itself run a loop on the same {@code Parallel}: it may hold the
   * only worker that loop waits for.
   */
  public void forEachTask(int tasks, TaskBody body) {
    if (tasks <= 0) {
      return;
    }
    if (workers == null || tasks == 1) {
      for (int task = 0; task < tasks; task++) {
        body.run(0, task);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Join join = new Join(tasks);
    int helpers = Math.min(threads - 1, tasks - 1);
    try {
      for (int w = 1; w <= helpers; w++) {
        int worker = w;
        workers.execute(() -> runTasks(worker, tasks, body, next, join));
      }
    } catch (Throwable e) {
      // a helper that could not be handed over takes no task: the caller runs whatever the others leave, so every
      // task still runs exactly once and is counted; the failure is passed on once they all have
      join.abandon(0, e);
    }
    runTasks(0, tasks, body, next, join);
    // waits only for tasks already taken by a helper; a helper that starts late finds none left
    join.await(spinNanos);
  }

  /** Takes and runs tasks until none is left; the {@link Join} counts each, and the last wakes the caller. */
  private static void runTasks(int worker, int tasks, TaskBody body, AtomicInteger next, Join join) {
    for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
      join.runTask(body, worker, task); // no lambda: a task taken is counted even when nothing can be allocated
    }
  }

  @Override
  public void close() {
    if (workers != null && !shared) {
      workers.shutdownNow();
    }
  }
}
