package org.vaecf.data.split;

/**
 * Settings of the time-based leave-last-out split ({@link LeaveLastOutSplitter}). No randomness is involved.
 *
 * @param ratingThreshold ratings strictly above this are kept (default 3.5); ignored for data without ratings
 * @param minUserInteractions users with fewer interactions left are dropped (default 3, the least that leaves one
 *     training interaction besides the validation and test ones; smaller values are rejected)
 */
public record LeaveLastOutConfig(double ratingThreshold, int minUserInteractions) implements SplitConfig {

  public LeaveLastOutConfig {
    Checks.threshold(ratingThreshold);
    Checks.atLeast("minUserInteractions", minUserInteractions, 3);
  }

  /** Threshold 3.5, at least 3 interactions per user. */
  public static LeaveLastOutConfig defaults() {
    return new LeaveLastOutConfig(StrongGeneralizationConfig.DEFAULT_RATING_THRESHOLD, 3);
  }

  @Override
  public SplitProtocol protocol() {
    return SplitProtocol.LEAVE_LAST_OUT;
  }

  @Override
  public Splitter splitter() {
    return new LeaveLastOutSplitter(this);
  }
}
