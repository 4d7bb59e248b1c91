package org.vaecf.eval;

/** Counting over a hit pattern, shared by the per-user metrics. */
final class RankedHits {
  private RankedHits() {}

  /** Number of {@code true} entries in {@code hits[0 .. ranks)}. */
  static int count(boolean[] hits, int ranks) {
    int count = 0;
    for (int r = 0; r < ranks; r++) {
      if (hits[r]) {
        count++;
      }
    }
    return count;
  }

  /** The 1-based rank of the first hit within the first {@code ranks}, or 0 when there is none. */
  static int firstHitRank(boolean[] hits, int ranks) {
    for (int r = 0; r < ranks; r++) {
      if (hits[r]) {
        return r + 1;
      }
    }
    return 0;
  }
}
