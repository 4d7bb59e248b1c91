package org.vaecf.infer;

import java.util.Arrays;
import org.vaecf.linalg.Kernels;
import org.vaecf.linalg.TopK;

/**
 * Turns one user's logits into a top-k list with probabilities: the items with the highest logits, honouring
 * exclusions and an optional candidate set, each scored by its softmax probability over <em>all</em> items (so a
 * score does not depend on which items were excluded or allowed).
 *
 * <p>Works on a heap copy of the row: reading a direct buffer element by element costs about three times as much as
 * reading an array, and the normaliser touches every item. Stateless and thread-safe.
 */
public final class Ranking {
  private Ranking() {}

  /** The selected item indexes, best first, and their probabilities. */
  public record Ranked(int[] items, double[] scores) {}

  /**
   * Ranks {@code logits[0 .. itemCount)}.
   *
   * @param excluded item indexes never returned, strictly increasing
   * @param candidates when not null, the only item indexes that may be returned, strictly increasing
   * @param k how many items at most, {@code > 0}
   */
  public static Ranked rank(float[] logits, int itemCount, int[] excluded, int[] candidates, int k) {
    return rank(logits, itemCount, excluded, candidates, k, null);
  }

  /**
   * {@link #rank(float[], int, int[], int[], int)} reusing {@code scratch} (may be null) for the selection when it
   * selects the right number of items: a caller ranking many rows keeps one per thread instead of allocating one per
   * row.
   */
  static Ranked rank(float[] logits, int itemCount, int[] excluded, int[] candidates, int k, TopK scratch) {
    double logNormalizer = logSumExp(logits, itemCount);
    int[] top =
        candidates == null
            ? topAll(logits, itemCount, excluded, k, scratch)
            : topOf(logits, candidates, excluded, k);
    double[] scores = new double[top.length];
    for (int i = 0; i < top.length; i++) {
      scores[i] = Math.exp(logits[top[i]] - logNormalizer);
    }
    return new Ranked(top, scores);
  }

  /** {@code log Σ_i exp(logits[i])}, computed stably around the largest logit, with the SIMD kernels. */
  static double logSumExp(float[] logits, int itemCount) {
    Kernels kernels = Kernels.best();
    float max = kernels.max(logits, 0, itemCount);
    return max + Math.log(kernels.sumExpShift(logits, 0, itemCount, max));
  }

  private static int[] topAll(float[] logits, int itemCount, int[] excluded, int k, TopK scratch) {
    // TopK allocates room for k items, so k is capped at what can be returned: a request may ask for any k.
    int[] out = new int[Math.max(0, Math.min(k, itemCount - excluded.length))];
    if (out.length == 0) {
      return out;
    }
    TopK topK = scratch != null && scratch.k() == out.length ? scratch : new TopK(out.length);
    int length = topK.select(logits, 0, itemCount, excluded, 0, excluded.length, out);
    return Arrays.copyOf(out, length);
  }

  private static int[] topOf(float[] logits, int[] candidates, int[] excluded, int k) {
    int[] allowed = Arrays.stream(candidates).filter(c -> Arrays.binarySearch(excluded, c) < 0).toArray();
    if (allowed.length == 0) {
      return allowed;
    }
    float[] scores = new float[allowed.length];
    for (int c = 0; c < allowed.length; c++) {
      scores[c] = logits[allowed[c]];
    }
    int[] positions = new TopK(Math.min(k, allowed.length)).select(scores, new int[0]);
    int[] chosen = new int[positions.length];
    for (int p = 0; p < positions.length; p++) {
      chosen[p] = allowed[positions[p]];
    }
    return chosen;
  }
}
