package org.vaecf.data;

import java.util.List;

/**
 * The generic {@code csv} format: chosen delimiter, optional header, user / item / rating / timestamp columns by
 * index or header name. With a header every line must have as many fields as the header; without one, enough fields
 * to reach the highest chosen column.
 */
final class CsvLineParser implements LineParser {
  private final ReaderOptions options;
  private final CsvTokenizer tokenizer;
  private final List<String> fields = Fields.buffer();
  private int user;
  private int item;
  private int rating = -1;
  private int timestamp = -1;
  /** Exact field count required (from the header), or 0 when only {@link #minimumWidth} applies. */
  private int width;
  private int minimumWidth;

  CsvLineParser(ReaderOptions options) {
    this.options = options;
    this.tokenizer = new CsvTokenizer(options.delimiter());
    if (!options.header()) {
      // Without a header every column is an index (ReaderOptions rejects names in that case).
      user = indexOf(options.userColumn());
      item = indexOf(options.itemColumn());
      rating = options.ratingColumn().map(CsvLineParser::indexOf).orElse(-1);
      timestamp = options.timestampColumn().map(CsvLineParser::indexOf).orElse(-1);
      minimumWidth = Math.max(Math.max(user, item), Math.max(rating, timestamp)) + 1;
    }
  }

  private static int indexOf(ColumnRef column) {
    return ((ColumnRef.ByIndex) column).index();
  }

  @Override
  public boolean expectsHeader() {
    return options.header();
  }

  @Override
  public void header(String line) throws BadLineException {
    List<String> names = List.copyOf(tokenizer.split(line, fields));
    width = names.size();
    user = resolve(options.userColumn(), names);
    item = resolve(options.itemColumn(), names);
    rating = options.ratingColumn().isPresent() ? resolve(options.ratingColumn().get(), names) : -1;
    timestamp = options.timestampColumn().isPresent() ? resolve(options.timestampColumn().get(), names) : -1;
  }

  private static int resolve(ColumnRef column, List<String> names) throws BadLineException {
    if (column instanceof ColumnRef.ByIndex byIndex) {
      if (byIndex.index() >= names.size()) {
        throw new BadLineException(
            "the header has " + names.size() + " columns, so there is no " + column + " (columns are 0-based)");
      }
      return byIndex.index();
    }
    String name = ((ColumnRef.ByName) column).name();
    int found = names.indexOf(name);
    if (found < 0) {
      throw new BadLineException(
          "the header has no column named '" + name + "' (columns: " + String.join(", ", names) + ")");
    }
    if (names.lastIndexOf(name) != found) {
      throw new BadLineException("the header names more than one column '" + name + "'; give an index instead");
    }
    return found;
  }

  @Override
  public void parse(String line, ParsedLine out) throws BadLineException {
    tokenizer.split(line, fields);
    if (width > 0 && fields.size() != width) {
      throw new BadLineException(
          "expected " + width + " '" + Fields.shown(String.valueOf(options.delimiter()))
              + "'-separated fields like the header, found " + fields.size());
    }
    if (fields.size() < minimumWidth) {
      throw new BadLineException(
          "expected at least " + minimumWidth + " '" + Fields.shown(String.valueOf(options.delimiter()))
              + "'-separated fields (to reach column " + (minimumWidth - 1) + "), found " + fields.size());
    }
    out.user = Fields.id("user", fields.get(user));
    out.items.add(Fields.id("item", fields.get(item)));
    if (rating >= 0) {
      out.rating = Fields.rating(fields.get(rating));
    }
    if (timestamp >= 0) {
      out.timestamp = Fields.timestamp(fields.get(timestamp));
    }
  }
}
