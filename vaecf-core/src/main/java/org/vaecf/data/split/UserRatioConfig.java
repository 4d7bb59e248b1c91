package org.vaecf.data.split;

import java.util.Objects;

/**
 * Settings of the per-user random split ({@link UserRatioSplitter}).
 *
 * @param ratingThreshold ratings strictly above this are kept (default 3.5); ignored for data without ratings
 * @param minUserInteractions users with fewer interactions left are dropped (default 5)
 * @param validationProportion share of each user's interactions for validation, rounded down (default 0.1)
 * @param testProportion share of each user's interactions for test, rounded down (default 0.1); the two together
 *     must stay below 1, so every user keeps at least one training interaction
 * @param seed seed of the per-user shuffles (default 98765)
 * @param rng the generator (default {@link SplitRng#NUMPY_LEGACY})
 */
public record UserRatioConfig(
    double ratingThreshold,
    int minUserInteractions,
    double validationProportion,
    double testProportion,
    long seed,
    SplitRng rng)
    implements SplitConfig {

  public UserRatioConfig {
    Checks.threshold(ratingThreshold);
    Checks.atLeast("minUserInteractions", minUserInteractions, 1);
    Checks.proportion("validationProportion", validationProportion);
    Checks.proportion("testProportion", testProportion);
    if (validationProportion + testProportion >= 1) {
      throw new IllegalArgumentException(
          "validationProportion + testProportion must be < 1 so every user keeps training interactions, got "
              + validationProportion + " + " + testProportion);
    }
    Objects.requireNonNull(rng, "rng");
    rng.checkSeed(seed);
  }

  /** 80/10/10 with the notebook's threshold, minimum and seed. */
  public static UserRatioConfig defaults() {
    return new UserRatioConfig(
        StrongGeneralizationConfig.DEFAULT_RATING_THRESHOLD, StrongGeneralizationConfig.DEFAULT_MIN_USER_INTERACTIONS,
        0.1, 0.1, StrongGeneralizationConfig.DEFAULT_SEED, SplitRng.NUMPY_LEGACY);
  }

  public UserRatioConfig withRatingThreshold(double value) {
    return new UserRatioConfig(value, minUserInteractions, validationProportion, testProportion, seed, rng);
  }

  public UserRatioConfig withMinUserInteractions(int value) {
    return new UserRatioConfig(ratingThreshold, value, validationProportion, testProportion, seed, rng);
  }

  public UserRatioConfig withProportions(double validation, double test) {
    return new UserRatioConfig(ratingThreshold, minUserInteractions, validation, test, seed, rng);
  }

  public UserRatioConfig withSeed(long value) {
    return new UserRatioConfig(ratingThreshold, minUserInteractions, validationProportion, testProportion, value, rng);
  }

  public UserRatioConfig withRng(SplitRng value) {
    return new UserRatioConfig(ratingThreshold, minUserInteractions, validationProportion, testProportion, seed, value);
  }

  @Override
  public SplitProtocol protocol() {
    return SplitProtocol.USER_RATIO;
  }

  @Override
  public Splitter splitter() {
    return new UserRatioSplitter(this);
  }
}
