package org.vaecf.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over {@code [0, n)} into one contiguous chunk per thread ({@link #forChunks}): the split depends only
 * on {@code n} and the thread count, and chunks write disjoint ranges, so results never depend on scheduling. The
 * calling thread runs the first chunk itself. For work that should not wait on a descheduled thread,
 * {@link #forEachTask} hands out small tasks one at a time instead.
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
  private static final ConcurrentMap<Integer, Parallel> SHARED = new ConcurrentHashMap<>();

  /**
   * @param threads number of chunks run at once, {@code >= 1}; one runs on the caller
   */
  public Parallel(int threads) {
    this(threads, false);
  }

  private Parallel(int threads, boolean shared) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.shared = shared;
    this.threads = threads;
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "vaecf-worker");
          thread.setDaemon(true);
          return thread;
        };
    this.workers = threads > 1 ? Executors.newFixedThreadPool(threads - 1, factory) : null;
  }

  /**
   * A process-wide {@code Parallel} of {@code threads} threads, created on first use and never closed ({@link #close}
   * does nothing on it): for objects that come and go while the process lives, such as the recommenders of a service
   * that swaps models. Threads that have run OpenBLAS products keep native memory until they end, so a service that
   * started new ones with every model grew by megabytes per swap (measured in the soak benchmark: +5.6% in nine swaps
   * with a pool per model).
   */
  public static Parallel shared(int threads) {
    return SHARED.computeIfAbsent(threads, count -> new Parallel(count, true));
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
    List<Future<?>> pending = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      int chunk = c;
      pending.add(workers.submit(() -> body.run(chunk, from, to)));
    }
    body.run(0, 0, (int) ((long) n / chunks));
    for (Future<?> future : pending) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a parallel loop", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause);
      }
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
    AtomicInteger done = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread caller = Thread.currentThread();
    int helpers = Math.min(threads - 1, tasks - 1);
    for (int w = 1; w <= helpers; w++) {
      int worker = w;
      workers.execute(() -> runTasks(worker, tasks, body, next, done, failure, caller));
    }
    runTasks(0, tasks, body, next, done, failure, null);
    // wait only for tasks already taken by a helper; a helper that starts late finds none left
    boolean interrupted = false;
    while (done.get() < tasks) {
      LockSupport.parkNanos(this, 20_000);
      interrupted |= Thread.interrupted(); // a pending interrupt would turn the wait into a busy loop
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable thrown = failure.get();
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

  /** Takes and runs tasks until none is left; the thread that completes the last one wakes the caller. */
  private static void runTasks(
      int worker, int tasks, TaskBody body, AtomicInteger next, AtomicInteger done,
      AtomicReference<Throwable> failure, Thread caller) {
    for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
      try {
        body.run(worker, task);
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      } finally {
        if (done.incrementAndGet() == tasks && caller != null) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  @Override
  public void close() {
    if (workers != null && !shared) {
      workers.shutdownNow();
    }
  }
}
