package org.vaecf.data.split;

import java.util.Arrays;

/**
 * A bit-exact re-implementation of NumPy's legacy global generator ({@code numpy.random.RandomState}, MT19937) for the
 * calls the Mult-VAE reference notebook makes when it splits users: {@code np.random.seed(int)},
 * {@code np.random.permutation(n)} and {@code np.random.choice(n, size, replace=False)}. Reproducing them lets a Java
 * run hold out exactly the users and items the notebook holds out (Liang et al., "Variational Autoencoders for
 * Collaborative Filtering", WWW 2018; dawenl/vae_cf).
 *
 * <p>What NumPy does, and so what this class does:
 * <ul>
 *   <li>seeding with an integer is Matsumoto and Nishimura's {@code init_genrand} (no {@code init_by_array});
 *   <li>{@code permutation(n)} shuffles {@code arange(n)} from the last position down to 1, drawing the partner
 *       index with {@code random_interval(i)}: mask a 32-bit output to the smallest all-ones mask covering {@code i}
 *       and reject values above {@code i};
 *   <li>{@code choice(n, size, replace=False)} without probabilities is {@code permutation(n)[:size]}, so it
 *       consumes a whole permutation's worth of draws even for a small {@code size}.
 * </ul>
 * Arrays here are Java arrays, so {@code n} stays below 2<sup>31</sup> and every bound fits the 32-bit branch of
 * {@code random_interval}. Not thread-safe.
 */
public final class NumpyLegacyRandom implements SplitRandom {
  private static final int STATE_LENGTH = 624;
  private static final int SHIFT = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7fffffff;
  /** Largest seed {@code np.random.seed} accepts. */
  public static final long MAX_SEED = 0xffffffffL;

  private final int[] state = new int[STATE_LENGTH];
  private int position;

  /** A generator in the state {@code np.random.seed(seed)} leaves. */
  public NumpyLegacyRandom(long seed) {
    reseed(seed);
  }

  /**
   * {@code np.random.seed(seed)}.
   *
   * @throws IllegalArgumentException if {@code seed} is outside {@code 0..2^32-1}, which NumPy rejects too
   */
  @Override
  public void reseed(long seed) {
    if (seed < 0 || seed > MAX_SEED) {
      throw new IllegalArgumentException(
          "seed must be between 0 and 2^32-1 for the numpy-legacy generator, got " + seed);
    }
    int value = (int) seed;
    for (int i = 0; i < STATE_LENGTH; i++) {
      state[i] = value;
      // int arithmetic wraps modulo 2^32, which is exactly the reference's "& 0xffffffff".
      value = 1812433253 * (value ^ (value >>> 30)) + i + 1;
    }
    position = STATE_LENGTH;
  }

  /** The next raw 32-bit output, as an unsigned value in {@code 0..2^32-1}. */
  public long nextUint32() {
    return nextInt() & 0xffffffffL;
  }

  private int nextInt() {
    if (position >= STATE_LENGTH) {
      regenerate();
    }
    int y = state[position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  private void regenerate() {
    int k = 0;
    for (; k < STATE_LENGTH - SHIFT; k++) {
      int y = (state[k] & UPPER_MASK) | (state[k + 1] & LOWER_MASK);
      state[k] = state[k + SHIFT] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
    }
    for (; k < STATE_LENGTH - 1; k++) {
      int y = (state[k] & UPPER_MASK) | (state[k + 1] & LOWER_MASK);
      state[k] = state[k + SHIFT - STATE_LENGTH] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
    }
    int y = (state[STATE_LENGTH - 1] & UPPER_MASK) | (state[0] & LOWER_MASK);
    state[STATE_LENGTH - 1] = state[SHIFT - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
    position = 0;
  }

  /**
   * NumPy's {@code random_interval(max)}: a uniform value in {@code 0..max} by masked rejection sampling.
   *
   * @throws IllegalArgumentException if {@code max} is negative
   */
  @Override
  public int nextInterval(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    if (max == 0) {
      // NumPy returns without drawing, and so must we to stay in step.
      return 0;
    }
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > max);
    return (int) value;
  }
}
