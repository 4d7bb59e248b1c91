package org.vaecf.data.split;

import java.util.Objects;

/**
 * Settings of the paper's strong-generalization split ({@link StrongGeneralizationSplitter}). The defaults are the
 * reference notebook's, apart from {@code heldOutUsers}, which depends on the data set (10,000 for ML-20M in the
 * paper) and has no default.
 *
 * @param ratingThreshold ratings strictly above this are kept (default 3.5: "4 stars and up" on MovieLens); ignored
 *     for data without ratings
 * @param minUserInteractions users with fewer interactions left are dropped (default 5)
 * @param heldOutUsers users held out for validation, and again as many for test; must be > 0, and twice it must be
 *     below the number of users left after filtering
 * @param seed seed of the user permutation and of each held-out user's fold-in/held-out choice (default 98765)
 * @param rng the generator (default {@link SplitRng#NUMPY_LEGACY}, which reproduces the notebook bit for bit)
 * @param testProportion share of a held-out user's interactions to be predicted, rounded down (default 0.2)
 */
public record StrongGeneralizationConfig(
    double ratingThreshold, int minUserInteractions, int heldOutUsers, long seed, SplitRng rng, double testProportion)
    implements SplitConfig {
  /** The notebook's rating threshold. */
  public static final double DEFAULT_RATING_THRESHOLD = 3.5;
  /** The notebook's minimum number of interactions per user. */
  public static final int DEFAULT_MIN_USER_INTERACTIONS = 5;
  /** The notebook's seed. */
  public static final long DEFAULT_SEED = 98765;
  /** The notebook's held-out proportion. */
  public static final double DEFAULT_TEST_PROPORTION = 0.2;

  public StrongGeneralizationConfig {
    Checks.threshold(ratingThreshold);
    Checks.atLeast("minUserInteractions", minUserInteractions, 1);
    Checks.atLeast("heldOutUsers", heldOutUsers, 1);
    Objects.requireNonNull(rng, "rng");
    rng.checkSeed(seed);
    Checks.proportion("testProportion", testProportion);
  }

  /** The notebook's settings with {@code heldOutUsers} validation and as many test users. */
  public static StrongGeneralizationConfig defaults(int heldOutUsers) {
    return new StrongGeneralizationConfig(
        DEFAULT_RATING_THRESHOLD, DEFAULT_MIN_USER_INTERACTIONS, heldOutUsers, DEFAULT_SEED, SplitRng.NUMPY_LEGACY,
        DEFAULT_TEST_PROPORTION);
  }

  public StrongGeneralizationConfig withRatingThreshold(double value) {
    return new StrongGeneralizationConfig(value, minUserInteractions, heldOutUsers, seed, rng, testProportion);
  }

  public StrongGeneralizationConfig withMinUserInteractions(int value) {
    return new StrongGeneralizationConfig(ratingThreshold, value, heldOutUsers, seed, rng, testProportion);
  }

  public StrongGeneralizationConfig withSeed(long value) {
    return new StrongGeneralizationConfig(
        ratingThreshold, minUserInteractions, heldOutUsers, value, rng, testProportion);
  }

  public StrongGeneralizationConfig withRng(SplitRng value) {
    return new StrongGeneralizationConfig(
        ratingThreshold, minUserInteractions, heldOutUsers, seed, value, testProportion);
  }

  public StrongGeneralizationConfig withTestProportion(double value) {
    return new StrongGeneralizationConfig(ratingThreshold, minUserInteractions, heldOutUsers, seed, rng, value);
  }

  @Override
  public SplitProtocol protocol() {
    return SplitProtocol.STRONG_GENERALIZATION;
  }

  @Override
  public Splitter splitter() {
    return new StrongGeneralizationSplitter(this);
  }
}
