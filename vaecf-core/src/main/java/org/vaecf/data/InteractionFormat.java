package org.vaecf.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The interaction file formats {@link InteractionReader} understands, with their command-line names. */
public enum InteractionFormat {
  /**
   * MovieLens {@code ratings.csv} (ML-20M, ML-25M, ml-latest): header {@code userId,movieId,rating,timestamp}, comma
   * separated, unquoted.
   */
  MOVIELENS_CSV("movielens-csv", true, true),
  /** MovieLens-100K {@code u.data}: {@code user item rating timestamp}, tab separated, no header. */
  MOVIELENS_100K("movielens-100k", true, true),
  /** MovieLens-1M/10M {@code ratings.dat}: {@code user::item::rating::timestamp}, no header. */
  MOVIELENS_DAT("movielens-dat", true, true),
  /**
   * Generic delimited text: a chosen one-character delimiter, an optional header, and chosen columns for user, item
   * and optionally rating and timestamp (see {@link ReaderOptions}). Fields may be quoted RFC 4180 style.
   */
  CSV("csv", false, false),
  /**
   * One user per line, {@code user item item …}, whitespace separated, as the NGCF and LightGCN data sets ship
   * ({@code train.txt}, {@code test.txt}); no ratings or timestamps. A line with a user and no items is allowed and
   * adds nothing.
   */
  ADJACENCY("adjacency", false, false);

  private final String cliName;
  private final boolean ratings;
  private final boolean timestamps;

  InteractionFormat(String cliName, boolean ratings, boolean timestamps) {
    this.cliName = cliName;
    this.ratings = ratings;
    this.timestamps = timestamps;
  }

  /** The name used on the command line and in {@code stats.json}. */
  public String cliName() {
    return cliName;
  }

  /** Whether files of this format always carry ratings (for {@link #CSV} that depends on the chosen columns). */
  boolean alwaysHasRatings() {
    return ratings;
  }

  /** Whether files of this format always carry timestamps (for {@link #CSV} that depends on the chosen columns). */
  boolean alwaysHasTimestamps() {
    return timestamps;
  }

  /**
   * The format called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the valid names when there is none
   */
  public static InteractionFormat fromCliName(String name) {
    for (InteractionFormat format : values()) {
      if (format.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown input format '" + name + "' (valid: "
            + Arrays.stream(values()).map(InteractionFormat::cliName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
