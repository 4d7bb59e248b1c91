package org.vaecf.data.split;

/**
 * The few random operations a split needs. Implementations are seeded explicitly and are deterministic: the same seed
 * and the same calls give the same results. Not thread-safe.
 */
public interface SplitRandom {

  /** Restarts the generator from {@code seed}, as if newly created with it. */
  void reseed(long seed);

  /** A uniform value in {@code 0..max} ({@code max >= 0}). */
  int nextInterval(int max);

  /**
   * Shuffles {@code values} in place: for {@code i} from the last index down to 1, swap entry {@code i} with entry
   * {@link #nextInterval nextInterval(i)} — the order of draws of NumPy's legacy {@code shuffle}.
   */
  default void shuffle(int[] values) {
    for (int i = values.length - 1; i >= 1; i--) {
      int j = nextInterval(i);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  /** A uniformly random permutation of {@code 0..n-1}: {@code arange(n)} shuffled, as {@code np.random.permutation}. */
  default int[] permutation(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    shuffle(values);
    return values;
  }

  /**
   * {@code size} distinct values drawn uniformly from {@code 0..n-1}: the first {@code size} entries of
   * {@code permutation(n)}, which is what NumPy's legacy {@code choice(n, size, replace=False)} does.
   *
   * @throws IllegalArgumentException if {@code size > n} or either is negative
   */
  default int[] choice(int n, int size) {
    if (size < 0 || size > n) {
      throw new IllegalArgumentException("size must be in 0.." + n + " to choose without replacement, got " + size);
    }
    return java.util.Arrays.copyOf(permutation(n), size);
  }
}
