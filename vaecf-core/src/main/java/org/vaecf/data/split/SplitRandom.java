package org.vaecf.data.split;

/**
 * The few random operations a split needs. Implementations are seeded explicitly and are deterministic: the same seed
 * and the same calls give the same results. Not thread-safe.
 */
public interface SplitRandom {

  /** Restarts the generator from {@code seed}, as if newly created with it. */
  void reseed(long seed);

  /** A uniformly random permutation of {@code 0..n-1}. */
  int[] permutation(int n);

  /**
   * {@code size} distinct values drawn uniformly from {@code 0..n-1}, in the order drawn.
   *
   * @throws IllegalArgumentException if {@code size > n} or either is negative
   */
  int[] choice(int n, int size);
}
