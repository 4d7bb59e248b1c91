package org.vaecf.bench.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.vaecf.data.CsrMatrix;

/** ML-20M's training shape, and a batch of users with power-law item popularity. */
final class Shapes {
  static final int BATCH = 500;
  static final int ITEMS = 20_108;
  static final int HIDDEN = 600;
  static final int ITEMS_PER_USER = 73;

  private Shapes() {}

  /** {@link #BATCH} users with {@link #ITEMS_PER_USER} distinct items each, drawn ∝ 1/rank^0.8. */
  static CsrMatrix batch(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] cumulative = new double[ITEMS];
    double total = 0;
    for (int i = 0; i < ITEMS; i++) {
      total += 1.0 / Math.pow(i + 1, 0.8);
      cumulative[i] = total;
    }
    CsrMatrix.Builder builder = new CsrMatrix.Builder(ITEMS);
    boolean[] chosen = new boolean[ITEMS];
    for (int u = 0; u < BATCH; u++) {
      int[] items = new int[ITEMS_PER_USER];
      int count = 0;
      while (count < ITEMS_PER_USER) {
        int position = Arrays.binarySearch(cumulative, random.nextDouble() * total);
        int item = Math.min(ITEMS - 1, position >= 0 ? position : -position - 1);
        if (!chosen[item]) {
          chosen[item] = true;
          items[count++] = item;
        }
      }
      for (int item : items) {
        chosen[item] = false;
      }
      builder.addRow(items);
    }
    return builder.build();
  }

  /** A row-major array of uniform values in [−scale, scale]. */
  static float[] uniform(int n, double scale, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((2 * random.nextDouble() - 1) * scale);
    }
    return values;
  }
}
