package org.vaecf.data.split;

import java.util.Objects;
import org.vaecf.data.Interactions;

/**
 * A time-based split: after the rating threshold and the user filter, each user's latest interaction goes to test,
 * the one before it to validation, the rest to training. Equal timestamps are ordered by file position, later lines
 * counting as later. Deterministic; needs timestamps. See {@link PerUserSplitAssembler} for how the parts become
 * {@link PreparedData}: validation and test users both fold in their training items only.
 */
public final class LeaveLastOutSplitter implements Splitter {
  private final LeaveLastOutConfig config;

  public LeaveLastOutSplitter(LeaveLastOutConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the interactions have no timestamps
   */
  @Override
  public PreparedData split(Interactions data) {
    if (!data.hasTimestamps()) {
      throw new IllegalArgumentException(
          "the leave-last-out split orders each user's interactions by time, but the " + data.report().format()
              + " input has no timestamps; choose a timestamp column or another split");
    }
    FilteredInteractions filtered = FilteredInteractions.apply(data, config);
    int[] ordered = UserOrder.sorted(data.users(), filtered.keptUsers());
    PerUserSplitAssembler.requireUsers(ordered.length, config);
    byte[] role = new byte[data.size()];
    for (int u : ordered) {
      int n = filtered.rowCount(u);
      for (int j = 0; j < n; j++) {
        role[filtered.row(u, j)] = PerUserSplitAssembler.TRAIN;
      }
      int last = latest(data, filtered, u, -1);
      role[last] = PerUserSplitAssembler.TEST;
      role[latest(data, filtered, u, last)] = PerUserSplitAssembler.VALIDATION;
    }
    return PerUserSplitAssembler.assemble(filtered, ordered, role, config);
  }

  /** Source position of user {@code u}'s latest interaction other than {@code excluded}; ties go to the later line. */
  private static int latest(Interactions data, FilteredInteractions filtered, int u, int excluded) {
    int best = -1;
    for (int j = 0; j < filtered.rowCount(u); j++) {
      int k = filtered.row(u, j);
      // Rows come in file order, so ">=" lets a later line win a tie.
      if (k != excluded && (best < 0 || data.timestamp(k) >= data.timestamp(best))) {
        best = k;
      }
    }
    return best;
  }
}
