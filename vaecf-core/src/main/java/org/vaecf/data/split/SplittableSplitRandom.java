package org.vaecf.data.split;

import java.util.SplittableRandom;

/**
 * A {@link SplitRandom} over {@link SplittableRandom}: fast, statistically sound, and stable across JDK versions (its
 * algorithm is specified), but not NumPy-compatible. Permutations are a Fisher–Yates shuffle; a choice is the first
 * {@code size} entries of a permutation, the same contract as the NumPy generator. Not thread-safe.
 */
public final class SplittableSplitRandom implements SplitRandom {
  private SplittableRandom random;

  /** A generator seeded with {@code seed}; any {@code long} is accepted. */
  public SplittableSplitRandom(long seed) {
    reseed(seed);
  }

  @Override
  public void reseed(long seed) {
    random = new SplittableRandom(seed);
  }

  @Override
  public int nextInterval(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    return random.nextInt(max + 1);
  }
}
