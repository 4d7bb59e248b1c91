package org.vaecf.infer;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Recommender} schedules its work.
 *
 * <p>Concurrent requests are grouped into one matrix product: one user alone streams the whole hidden × items output
 * matrix from memory for a few dozen MFLOP, while a batch of users shares that stream and turns the product into
 * compute-bound GEMM. The scoring thread takes every request waiting when it becomes free, up to {@code maxBatch},
 * and — when {@code maxWait} is positive and the batch is not full — keeps collecting for at most that long after the
 * first one arrived.
 *
 * @param threads threads for the sparse first layer and, when OpenBLAS runs one thread
 *     ({@link org.vaecf.linalg.Blas#setThreads}, a process-wide setting the application owns), for the output
 *     product, split into blocks of items that the threads take one at a time. Default 1
 * @param scorers scoring threads, each with its own copy of the network, taking batches from one queue. Two scorers
 *     with single-threaded BLAS keep both cores of a small machine busy without the spin-waiting of a two-thread
 *     BLAS call that shares its cores with other work. Default 1
 * @param maxBatch most users per matrix product, {@code >= 1}. Default 64: up to that size the output product runs on
 *     a packed copy of the weight that is fastest for small batches ({@link org.vaecf.model.ModelScorer#snapshot});
 *     for scoring many users at once {@link BulkRecommender} is the faster tool
 * @param maxWait longest time a request waits for company before its batch is scored, {@code >= 0}. Default 0: no
 *     waiting, batches form only from requests that arrived while the previous product ran
 * @param observer told about every product. Default: nobody
 */
public record RecommenderSettings(
    int threads, int scorers, int maxBatch, Duration maxWait, BatchObserver observer) {
  /** Default {@link #maxBatch}. */
  public static final int DEFAULT_MAX_BATCH = 64;

  public RecommenderSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (scorers < 1) {
      throw new IllegalArgumentException("scorers must be >= 1, got " + scorers);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must be >= 0, got " + maxWait);
    }
    Objects.requireNonNull(observer, "observer");
  }

  /** One thread, one scorer, batches of up to 64 users, no waiting, no observer. */
  public static RecommenderSettings defaults() {
    return new RecommenderSettings(1, 1, DEFAULT_MAX_BATCH, Duration.ZERO, BatchObserver.NONE);
  }

  /** A copy with another thread count. */
  public RecommenderSettings withThreads(int value) {
    return new RecommenderSettings(value, scorers, maxBatch, maxWait, observer);
  }

  /** A copy with another number of scoring threads. */
  public RecommenderSettings withScorers(int value) {
    return new RecommenderSettings(threads, value, maxBatch, maxWait, observer);
  }

  /** A copy with another batch capacity. */
  public RecommenderSettings withMaxBatch(int value) {
    return new RecommenderSettings(threads, scorers, value, maxWait, observer);
  }

  /** A copy with another wait. */
  public RecommenderSettings withMaxWait(Duration value) {
    return new RecommenderSettings(threads, scorers, maxBatch, value, observer);
  }

  /** A copy with another observer. */
  public RecommenderSettings withObserver(BatchObserver value) {
    return new RecommenderSettings(threads, scorers, maxBatch, maxWait, value);
  }
}
