package org.vaecf.data.split;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The random generators a split can use, with their command-line names. */
public enum SplitRng {
  /**
   * NumPy's legacy MT19937 generator, bit-exact ({@link NumpyLegacyRandom}); the default, because it reproduces the
   * reference notebook's split. Seeds must lie in {@code 0..2^32-1}.
   */
  NUMPY_LEGACY("numpy-legacy"),
  /** {@link java.util.SplittableRandom} ({@link SplittableSplitRandom}); any {@code long} seed. */
  SPLITTABLE("splittable");

  private final String cliName;

  SplitRng(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in {@code stats.json}. */
  public String cliName() {
    return cliName;
  }

  /** A new generator of this kind seeded with {@code seed}. */
  public SplitRandom create(long seed) {
    return this == NUMPY_LEGACY ? new NumpyLegacyRandom(seed) : new SplittableSplitRandom(seed);
  }

  /** Checks that this generator accepts {@code seed}, naming both when it does not. */
  public void checkSeed(long seed) {
    if (this == NUMPY_LEGACY && (seed < 0 || seed > NumpyLegacyRandom.MAX_SEED)) {
      throw new IllegalArgumentException(
          "seed must be between 0 and 2^32-1 for the " + cliName + " generator, got " + seed);
    }
  }

  /**
   * The generator called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the valid names when there is none
   */
  public static SplitRng fromCliName(String name) {
    for (SplitRng rng : values()) {
      if (rng.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return rng;
      }
    }
    throw new IllegalArgumentException(
        "unknown random generator '" + name + "' (valid: "
            + Arrays.stream(values()).map(SplitRng::cliName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
