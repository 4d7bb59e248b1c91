package org.vaecf.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Splits a loop over {@code [0, n)} into one contiguous chunk per thread. The split depends only on {@code n} and
 * the thread count, and chunks write disjoint ranges, so results never depend on scheduling. The calling thread runs
 * the first chunk itself.
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

  /**
   * @param threads number of chunks run at once, {@code >= 1}; one runs on the caller
   */
  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "vaecf-worker");
          thread.setDaemon(true);
          return thread;
        };
    this.workers = threads > 1 ? Executors.newFixedThreadPool(threads - 1, factory) : null;
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

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
