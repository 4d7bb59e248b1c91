package org.vaecf.data.split;

import java.util.Arrays;
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
  public int[] permutation(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    for (int i = n - 1; i >= 1; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  @Override
  public int[] choice(int n, int size) {
    if (size < 0 || size > n) {
      throw new IllegalArgumentException("size must be in 0.." + n + " to choose without replacement, got " + size);
    }
    return Arrays.copyOf(permutation(n), size);
  }
}
