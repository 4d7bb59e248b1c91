package org.vaecf.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The data sets {@code vaecf data fetch} knows: MovieLens releases of GroupLens, each a zip holding one folder of the
 * same name, published with an MD5 checksum beside it ({@code <zip>.md5}).
 */
public enum KnownDataSet {
  /** MovieLens 20M: the paper's data set (138,493 users, 20M ratings). */
  ML_20M("ml-20m", "ratings.csv", "movielens-csv", 10_000),
  /** MovieLens 25M (162,541 users, 25M ratings). */
  ML_25M("ml-25m", "ratings.csv", "movielens-csv", 10_000),
  /** MovieLens 1M (6,040 users). */
  ML_1M("ml-1m", "ratings.dat", "movielens-dat", 600),
  /** MovieLens 100K (943 users). */
  ML_100K("ml-100k", "u.data", "movielens-100k", 100),
  /** The small, changing "latest" release (about 600 users), for education and quick tests. */
  ML_LATEST_SMALL("ml-latest-small", "ratings.csv", "movielens-csv", 60);

  /** Where GroupLens publishes the MovieLens zips and their checksums. */
  public static final URI GROUPLENS = URI.create("https://files.grouplens.org/datasets/movielens/");

  private final String cliName;
  private final String ratingsFile;
  private final String format;
  private final int heldOutUsers;

  KnownDataSet(String cliName, String ratingsFile, String format, int heldOutUsers) {
    this.cliName = cliName;
    this.ratingsFile = ratingsFile;
    this.format = format;
    this.heldOutUsers = heldOutUsers;
  }

  /** The name on the command line, which is also the zip's and its folder's name. */
  public String cliName() {
    return cliName;
  }

  /** The zip's file name. */
  public String zipName() {
    return cliName + ".zip";
  }

  /** The interaction file inside the unpacked folder. */
  public String ratingsFile() {
    return ratingsFile;
  }

  /**
   * The {@code prepare} command for the unpacked folder {@code folder}: the paper's protocol and the notebook's split.
   * For ML-20M these are the paper's exact settings (10,000 validation and 10,000 test users); the smaller sets hold
   * out about 10% of their users each.
   */
  public String prepareCommand(Path folder) {
    return String.format(
        Locale.ROOT, "./vaecf prepare --input %s --format %s --heldout-users %d --rng numpy-legacy --out %s-prepared",
        folder.resolve(ratingsFile), format, heldOutUsers, cliName);
  }

  /**
   * The data set named {@code name}.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static KnownDataSet fromCliName(String name) {
    for (KnownDataSet set : values()) {
      if (set.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return set;
      }
    }
    throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + names());
  }

  /** The known names, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(KnownDataSet::cliName).collect(Collectors.joining(", "));
  }
}
