package org.vaecf.data.split;

/**
 * The settings of one split protocol. Every protocol first binarises (keeps ratings strictly above
 * {@link #ratingThreshold()}, when the data has ratings) and drops users with fewer than
 * {@link #minUserInteractions()} interactions left.
 */
public sealed interface SplitConfig permits StrongGeneralizationConfig, UserRatioConfig, LeaveLastOutConfig {

  /** Which protocol these settings are for. */
  SplitProtocol protocol();

  /**
   * Ratings strictly above this are kept as positive interactions; ignored for data without ratings. Ratings are
   * stored as {@code float}, and the comparison is made at that precision.
   */
  double ratingThreshold();

  /** Users with fewer interactions than this after the rating threshold are dropped. */
  int minUserInteractions();

  /** A splitter applying these settings. */
  Splitter splitter();
}
