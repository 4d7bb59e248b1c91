package org.vaecf.nn;

/**
 * A small counter-based random generator (SplitMix64 steps) that can be re-keyed without allocation.
 *
 * <p>The engine keys a fresh stream for every (seed, purpose, step, row), so the numbers a row receives do not depend
 * on which thread processes it: training is reproducible for a given seed whatever the thread count. SplitMix64 is
 * statistically sound for dropout masks and Gaussian noise and costs a few cycles per number.
 */
public final class RandomStream {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private long state;
  private double spareGaussian;
  private boolean hasSpare;

  /** A stream keyed by {@code key}. */
  public RandomStream(long key) {
    reset(key);
  }

  /** Re-keys this stream; the next numbers depend only on {@code key}. */
  public RandomStream reset(long key) {
    state = key;
    hasSpare = false;
    return this;
  }

  /** A well-mixed key from a seed and three coordinates (no varargs array: this runs per row and step). */
  public static long key(long seed, long a, long b, long c) {
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    h = mix(h + GOLDEN_GAMMA + a);
    h = mix(h + GOLDEN_GAMMA + b);
    return mix(h + GOLDEN_GAMMA + c);
  }

  /** A well-mixed key from a seed and any number of integer coordinates. */
  public static long key(long seed, long... coordinates) {
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    for (long c : coordinates) {
      h = mix(h + GOLDEN_GAMMA + c);
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** 64 random bits. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1) with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0, got " + bound);
    }
    // Lemire's multiply-shift on 32 random bits; the bias (< bound / 2^32) is irrelevant for shuffling users.
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Standard normal, by the Box–Muller transform (pairs are generated together). */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u1 = 1.0 - nextDouble(); // (0, 1]: keeps log finite
    double u2 = nextDouble();
    double radius = Math.sqrt(-2.0 * Math.log(u1));
    double angle = 2.0 * Math.PI * u2;
    spareGaussian = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  }
}
