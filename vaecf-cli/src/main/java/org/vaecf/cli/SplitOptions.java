package org.vaecf.cli;

import java.util.Locale;
import org.vaecf.data.split.LeaveLastOutConfig;
import org.vaecf.data.split.SplitConfig;
import org.vaecf.data.split.SplitProtocol;
import org.vaecf.data.split.SplitRng;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.split.UserRatioConfig;
import picocli.CommandLine.Option;

/** How to split: the protocol and its settings, defaulting to the paper's. */
final class SplitOptions {
  @Option(
      names = "--protocol",
      paramLabel = "NAME",
      defaultValue = "strong-generalization",
      description = {
        "strong-generalization (the paper: held-out users, 80/20 fold-in split; default), user-ratio (each user's",
        "items split train/validation/test), leave-last-out (by timestamp)."
      })
  String protocol;

  @Option(
      names = "--heldout-users",
      paramLabel = "N",
      description = "strong-generalization: validation users, and as many test users (ML-20M in the paper: 10000).")
  Integer heldOutUsers;

  @Option(
      names = "--threshold",
      paramLabel = "R|none",
      description = "Keep ratings strictly above R (default: 3.5); 'none' keeps all. Ignored without ratings.")
  String threshold;

  @Option(names = "--min-user-interactions", description = "Drop users with fewer interactions (default: 5).")
  Integer minUserInteractions;

  @Option(names = "--seed", description = "Seed of the split (default: 98765, the notebook's).")
  Long seed;

  @Option(
      names = "--rng",
      paramLabel = "numpy-legacy|splittable",
      description = "numpy-legacy reproduces the notebook's split bit for bit (default); splittable uses Java's.")
  String rng;

  @Option(names = "--validation-proportion", description = "user-ratio: share for validation (default: 0.1).")
  Double validationProportion;

  @Option(
      names = "--test-proportion",
      description = "user-ratio: share for test (default: 0.1); strong-generalization: held-out share (default: 0.2).")
  Double testProportion;

  /** The split settings from the options. */
  SplitConfig config() {
    SplitProtocol chosen = SplitProtocol.fromCliName(protocol.toLowerCase(Locale.ROOT));
    return switch (chosen) {
      case STRONG_GENERALIZATION -> strongGeneralization();
      case USER_RATIO -> userRatio();
      case LEAVE_LAST_OUT -> leaveLastOut();
    };
  }

  /** The paper's split with {@code defaultHeldOut} held-out users unless --heldout-users says otherwise. */
  StrongGeneralizationConfig strongGeneralization(int defaultHeldOut) {
    if (heldOutUsers == null) {
      heldOutUsers = defaultHeldOut;
    }
    return strongGeneralization();
  }

  private StrongGeneralizationConfig strongGeneralization() {
    if (heldOutUsers == null) {
      throw new IllegalArgumentException(
          "--heldout-users is required for the strong-generalization protocol (the paper used 10000 on ML-20M)");
    }
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(heldOutUsers);
    if (threshold != null) {
      config = config.withRatingThreshold(parseThreshold());
    }
    if (minUserInteractions != null) {
      config = config.withMinUserInteractions(minUserInteractions);
    }
    if (seed != null) {
      config = config.withSeed(seed);
    }
    if (rng != null) {
      config = config.withRng(SplitRng.fromCliName(rng));
    }
    if (testProportion != null) {
      config = config.withTestProportion(testProportion);
    }
    rejectIfSet(validationProportion, "--validation-proportion", "strong-generalization");
    return config;
  }

  private UserRatioConfig userRatio() {
    rejectIfSet(heldOutUsers, "--heldout-users", "user-ratio");
    UserRatioConfig config = UserRatioConfig.defaults();
    if (threshold != null) {
      config = config.withRatingThreshold(parseThreshold());
    }
    if (minUserInteractions != null) {
      config = config.withMinUserInteractions(minUserInteractions);
    }
    if (seed != null) {
      config = config.withSeed(seed);
    }
    if (rng != null) {
      config = config.withRng(SplitRng.fromCliName(rng));
    }
    if (validationProportion != null || testProportion != null) {
      config =
          config.withProportions(
              validationProportion == null ? config.validationProportion() : validationProportion,
              testProportion == null ? config.testProportion() : testProportion);
    }
    return config;
  }

  private LeaveLastOutConfig leaveLastOut() {
    rejectIfSet(heldOutUsers, "--heldout-users", "leave-last-out");
    rejectIfSet(seed, "--seed", "leave-last-out");
    rejectIfSet(rng, "--rng", "leave-last-out");
    rejectIfSet(validationProportion, "--validation-proportion", "leave-last-out");
    rejectIfSet(testProportion, "--test-proportion", "leave-last-out");
    LeaveLastOutConfig config = LeaveLastOutConfig.defaults();
    return new LeaveLastOutConfig(
        threshold == null ? config.ratingThreshold() : parseThreshold(),
        minUserInteractions == null ? config.minUserInteractions() : minUserInteractions);
  }

  private double parseThreshold() {
    return parseThreshold(threshold);
  }

  /**
   * A {@code --threshold} value: a rating R (ratings strictly above it are kept), or {@code none} (all kept).
   *
   * @throws IllegalArgumentException naming the option when it is neither
   */
  static double parseThreshold(String text) {
    if (text.equalsIgnoreCase("none")) {
      return -1.0; // every rating is non-negative, so all pass
    }
    try {
      double value = Double.parseDouble(text);
      if (Double.isNaN(value)) {
        throw new NumberFormatException("NaN");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--threshold must be a number or 'none', got '" + text + "'");
    }
  }

  private static void rejectIfSet(Object value, String option, String protocolName) {
    if (value != null) {
      throw new IllegalArgumentException(option + " does not apply to the " + protocolName + " protocol");
    }
  }
}
