package org.vaecf.cli;

import org.vaecf.data.ColumnRef;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.ReaderOptions;
import picocli.CommandLine.Option;

/** How to read an interaction log: the options shared by {@code prepare} and {@code demo --data}. */
final class DataOptions {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = {
        "movielens-csv (ratings.csv of ML-20M/25M/latest), movielens-100k (u.data), movielens-dat (ratings.dat of",
        "ML-1M/10M), csv (generic delimited, see --columns), adjacency (user item item … per line)."
      })
  String format;

  @Option(
      names = "--columns",
      paramLabel = "USER,ITEM[,RATING[,TIME]]",
      description = {
        "For --format csv: the user, item, optional rating and optional timestamp columns, as 0-based indexes or",
        "header names; '-' skips one (e.g. 0,1,-,3). Default: 0,1."
      })
  String columns;

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description = "For --format csv: the field delimiter, one character or tab/comma/semicolon/pipe (default: comma).")
  String delimiter;

  @Option(
      names = "--header",
      negatable = true,
      description = "For --format csv: whether the first line is a header (default: --header).")
  Boolean header;

  @Option(names = "--skip-bad-lines", description = "Skip and count malformed lines instead of failing on the first.")
  boolean skipBadLines;

  /** The format, which the caller requires. */
  InteractionFormat format() {
    if (format == null) {
      throw new IllegalArgumentException("--format is required: " + validFormats());
    }
    return InteractionFormat.fromCliName(format);
  }

  ReaderOptions readerOptions() {
    InteractionFormat chosen = format();
    if (chosen != InteractionFormat.CSV) {
      if (columns != null || delimiter != null || header != null) {
        throw new IllegalArgumentException(
            "--columns, --delimiter and --header apply to --format csv only; " + chosen.cliName()
                + " has a fixed layout");
      }
      return ReaderOptions.builder(chosen).skipBadLines(skipBadLines).build();
    }
    ReaderOptions.Builder builder = ReaderOptions.builder(chosen).skipBadLines(skipBadLines);
    if (delimiter != null) {
      builder.delimiter(parseDelimiter(delimiter));
    }
    if (header != null) {
      builder.header(header);
    }
    if (columns != null) {
      String[] parts = columns.split(",", -1);
      if (parts.length < 2 || parts.length > 4) {
        throw new IllegalArgumentException(
            "--columns needs 2 to 4 comma-separated entries (user,item[,rating[,timestamp]]), got '" + columns + "'");
      }
      builder.userColumn(column(parts[0], "user"));
      builder.itemColumn(column(parts[1], "item"));
      if (parts.length > 2 && !parts[2].trim().equals("-")) {
        builder.ratingColumn(column(parts[2], "rating"));
      }
      if (parts.length > 3 && !parts[3].trim().equals("-")) {
        builder.timestampColumn(column(parts[3], "timestamp"));
      }
    }
    return builder.build();
  }

  private static ColumnRef column(String text, String role) {
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.equals("-")) {
      throw new IllegalArgumentException("--columns: the " + role + " column is required");
    }
    return ColumnRef.parse(trimmed);
  }

  static char parseDelimiter(String text) {
    return switch (text) {
      case "tab", "\\t", "\t" -> '\t';
      case "comma" -> ',';
      case "semicolon" -> ';';
      case "pipe" -> '|';
      case "space" -> ' ';
      default -> {
        if (text.length() != 1) {
          throw new IllegalArgumentException(
              "--delimiter must be one character or tab/comma/semicolon/pipe/space, got '" + text + "'");
        }
        yield text.charAt(0);
      }
    };
  }

  static String validFormats() {
    StringBuilder names = new StringBuilder();
    for (InteractionFormat f : InteractionFormat.values()) {
      names.append(names.length() == 0 ? "" : ", ").append(f.cliName());
    }
    return "one of " + names;
  }
}
