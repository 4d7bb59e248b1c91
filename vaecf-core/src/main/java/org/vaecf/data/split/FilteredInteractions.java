package org.vaecf.data.split;

import java.util.BitSet;
import org.vaecf.data.Interactions;

/**
 * The first step of every split: binarise by the rating threshold, then keep only users with enough interactions.
 * Items are not filtered (the notebook's {@code min_sc = 0}). Keeps, for each user, the positions of their kept
 * interactions in file order — the order the notebook's per-user sampling indexes into.
 */
final class FilteredInteractions {
  private final Interactions source;
  private final BitSet kept;
  /** Offsets into {@link #rowsByUser} per dense user of {@link #source}: user u's rows are [start[u], start[u+1]). */
  private final int[] start;
  private final int[] rowsByUser;
  private final int[] keptUsers;

  private FilteredInteractions(Interactions source, BitSet kept, int[] start, int[] rowsByUser, int[] keptUsers) {
    this.source = source;
    this.kept = kept;
    this.start = start;
    this.rowsByUser = rowsByUser;
    this.keptUsers = keptUsers;
  }

  /** Applies {@code config}'s threshold and user minimum to {@code data}. */
  static FilteredInteractions apply(Interactions data, SplitConfig config) {
    int size = data.size();
    int users = data.users().size();
    BitSet kept = new BitSet(size);
    int[] counts = new int[users];
    // Compared in float, the ratings' own precision: a rating written "3.7" must not pass a 3.7 threshold.
    float threshold = (float) config.ratingThreshold();
    boolean binarise = data.hasRatings();
    for (int k = 0; k < size; k++) {
      if (!binarise || data.rating(k) > threshold) {
        kept.set(k);
        counts[data.user(k)]++;
      }
    }
    int keptUserCount = 0;
    for (int u = 0; u < users; u++) {
      if (counts[u] < config.minUserInteractions()) {
        counts[u] = 0;
      } else {
        keptUserCount++;
      }
    }
    int[] keptUsers = new int[keptUserCount];
    int[] start = new int[users + 1];
    for (int u = 0, next = 0; u < users; u++) {
      start[u + 1] = start[u] + counts[u];
      if (counts[u] > 0) {
        keptUsers[next++] = u;
      }
    }
    // A stable counting sort by user: each user's rows stay in file order.
    int[] rowsByUser = new int[start[users]];
    int[] fill = start.clone();
    for (int k = kept.nextSetBit(0); k >= 0; k = kept.nextSetBit(k + 1)) {
      int u = data.user(k);
      if (counts[u] == 0) {
        kept.clear(k);
      } else {
        rowsByUser[fill[u]++] = k;
      }
    }
    return new FilteredInteractions(data, kept, start, rowsByUser, keptUsers);
  }

  Interactions source() {
    return source;
  }

  /** Whether interaction {@code k} of the source survived both filters. */
  boolean isKept(int k) {
    return kept.get(k);
  }

  /** The next kept interaction at or after {@code k}, or a negative value when there is none. */
  int nextKept(int k) {
    return kept.nextSetBit(k);
  }

  /** Dense (source) indexes of the users left, in increasing index order. */
  int[] keptUsers() {
    return keptUsers;
  }

  /** Number of kept interactions of user {@code u}. */
  int rowCount(int u) {
    return start[u + 1] - start[u];
  }

  /** Source position of user {@code u}'s {@code j}-th kept interaction in file order. */
  int row(int u, int j) {
    return rowsByUser[start[u] + j];
  }

  /** Number of interactions left. */
  long size() {
    return rowsByUser.length;
  }
}
