package org.vaecf.infer;

/**
 * Told about every matrix product the micro-batcher runs, for monitoring (batch-size histograms, scoring time).
 * Called on the scoring thread: implementations must be quick and must not throw (one that throws stops the
 * recommender, see {@link Recommender#failure()}).
 */
@FunctionalInterface
public interface BatchObserver {
  /** Does nothing. */
  BatchObserver NONE = (users, nanos) -> {};

  /**
   * @param users users scored by one product
   * @param nanos time the product and the copy of its rows took
   */
  void batchScored(int users, long nanos);
}
