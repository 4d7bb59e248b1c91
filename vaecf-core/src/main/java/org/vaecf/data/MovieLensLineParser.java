package org.vaecf.data;

import java.util.List;

/**
 * The three MovieLens layouts: four fields {@code user item rating timestamp}, split by a fixed separator, with or
 * without the {@code ratings.csv} header.
 */
final class MovieLensLineParser implements LineParser {
  /** The header every MovieLens {@code ratings.csv} starts with. */
  static final String CSV_HEADER = "userId,movieId,rating,timestamp";

  private final String separator;
  private final String layout;
  private final boolean header;
  private final List<String> fields = Fields.buffer();

  private MovieLensLineParser(String separator, String layout, boolean header) {
    this.separator = separator;
    this.layout = layout;
    this.header = header;
  }

  static MovieLensLineParser forFormat(InteractionFormat format) {
    return switch (format) {
      case MOVIELENS_CSV -> new MovieLensLineParser(",", "comma-separated fields (" + CSV_HEADER + ")", true);
      case MOVIELENS_100K ->
          new MovieLensLineParser("\t", "tab-separated fields (user, item, rating, timestamp)", false);
      case MOVIELENS_DAT ->
          new MovieLensLineParser("::", "'::'-separated fields (user::item::rating::timestamp)", false);
      default -> throw new IllegalArgumentException(format + " is not a MovieLens format");
    };
  }

  @Override
  public boolean expectsHeader() {
    return header;
  }

  @Override
  public void header(String line) throws BadLineException {
    if (!line.strip().equals(CSV_HEADER)) {
      throw new BadLineException(
          "header '" + Fields.shown(line) + "' is not the MovieLens ratings.csv header (expected " + CSV_HEADER + ")");
    }
  }

  @Override
  public void parse(String line, ParsedLine out) throws BadLineException {
    Fields.split(line, separator, fields);
    if (fields.size() != 4) {
      throw new BadLineException("expected 4 " + layout + ", found " + fields.size());
    }
    out.user = Fields.id("user", fields.get(0));
    out.items.add(Fields.id("item", fields.get(1)));
    out.rating = Fields.rating(fields.get(2));
    out.timestamp = Fields.timestamp(fields.get(3));
  }
}
