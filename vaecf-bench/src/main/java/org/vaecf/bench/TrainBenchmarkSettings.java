package org.vaecf.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link TrainBenchmark} measures.
 *
 * @param users users of the data set whose epoch time is reported (ML-20M: 116,677 training users)
 * @param items items (ML-20M: 20,108)
 * @param interactionsPerUser mean interactions per synthetic user (ML-20M: about 73 per training user)
 * @param data a prepared data directory to use instead of synthetic data
 * @param steps measured steps after warm-up
 * @param warmupSteps steps run before measuring (JIT compilation, first-touch of buffers)
 * @param threads threads for BLAS and the loops
 * @param evalUsers users scored for the validation timing
 * @param seed seed of the synthetic data and of the model
 */
public record TrainBenchmarkSettings(
    int users,
    int items,
    double interactionsPerUser,
    Optional<Path> data,
    int steps,
    int warmupSteps,
    int threads,
    int evalUsers,
    long seed) {
  /** ML-20M's training shape: 116,677 users × 20,108 items, 73 interactions per user. */
  public static final int ML20M_USERS = 116_677;

  /** ML-20M's item count. */
  public static final int ML20M_ITEMS = 20_108;

  /** ML-20M's mean training interactions per user. */
  public static final double ML20M_INTERACTIONS_PER_USER = 73;

  public TrainBenchmarkSettings {
    if (users <= 0 || items <= 0) {
      throw new IllegalArgumentException("users and items must be > 0, got " + users + " and " + items);
    }
    if (data.isEmpty() && items < TrainBenchmark.SYNTHETIC_TASTES) {
      throw new IllegalArgumentException(
          "synthetic data needs at least " + TrainBenchmark.SYNTHETIC_TASTES + " items (one per planted taste), got "
              + items);
    }
    if (!(interactionsPerUser >= 5) || interactionsPerUser > items / 2.0) {
      throw new IllegalArgumentException(
          "interactionsPerUser must be in [5, items/2], got " + interactionsPerUser);
    }
    if (steps <= 0 || warmupSteps < 0) {
      throw new IllegalArgumentException("steps must be > 0 and warmupSteps >= 0");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be > 0, got " + threads);
    }
    if (evalUsers <= 0) {
      throw new IllegalArgumentException("evalUsers must be > 0, got " + evalUsers);
    }
  }
}
