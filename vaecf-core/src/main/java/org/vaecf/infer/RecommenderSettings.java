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
 * @param threads threads for the sparse first layer; BLAS threads are a process-wide setting the application owns
 *     ({@link org.vaecf.linalg.Blas#setThreads}). Default 1
 * @param maxBatch most users per matrix product, {@code >= 1}. Default 256
 * @param maxWait longest time a request waits for company before its batch is scored, {@code >= 0}. Default 0: no
 *     waiting, batches form only from requests that arrived while the previous product ran
 * @param observer told about every product. Default: nobody
 */
public record RecommenderSettings(int threads, int maxBatch, Duration maxWait, BatchObserver observer) {
  /** Default {@link #maxBatch}. */
  public static final int DEFAULT_MAX_BATCH = 256;

  public RecommenderSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
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

  /** One thread, batches of up to 256 users, no waiting, no observer. */
  public static RecommenderSettings defaults() {
    return new RecommenderSettings(1, DEFAULT_MAX_BATCH, Duration.ZERO, BatchObserver.NONE);
  }

  /** A copy with another thread count. */
  public RecommenderSettings withThreads(int value) {
    return new RecommenderSettings(value, maxBatch, maxWait, observer);
  }

  /** A copy with another batch capacity. */
  public RecommenderSettings withMaxBatch(int value) {
    return new RecommenderSettings(threads, value, maxWait, observer);
  }

  /** A copy with another wait. */
  public RecommenderSettings withMaxWait(Duration value) {
    return new RecommenderSettings(threads, maxBatch, value, observer);
  }

  /** A copy with another observer. */
  public RecommenderSettings withObserver(BatchObserver value) {
    return new RecommenderSettings(threads, maxBatch, maxWait, value);
  }
}
