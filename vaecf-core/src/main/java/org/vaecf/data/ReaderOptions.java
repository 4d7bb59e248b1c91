package org.vaecf.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link InteractionReader} reads files: the format and, for the generic {@link InteractionFormat#CSV} format,
 * its delimiter, header and columns. Immutable; build with {@link #builder(InteractionFormat)} or take the defaults
 * with {@link #of(InteractionFormat)}.
 *
 * <p>Defaults: no skipping of bad lines (a malformed line is an error). For {@code csv}: delimiter {@code ','}, a
 * header line, the user in column 0, the item in column 1, no rating and no timestamp. The MovieLens and adjacency
 * formats fix their own layout, so setting a delimiter, header or column for them is an error rather than silently
 * ignored.
 */
public final class ReaderOptions {
  private final InteractionFormat format;
  private final char delimiter;
  private final boolean header;
  private final ColumnRef userColumn;
  private final ColumnRef itemColumn;
  private final Optional<ColumnRef> ratingColumn;
  private final Optional<ColumnRef> timestampColumn;
  private final boolean skipBadLines;

  private ReaderOptions(Builder b) {
    this.format = b.format;
    this.delimiter = b.delimiter == null ? ',' : b.delimiter;
    this.header = b.header == null || b.header;
    this.userColumn = b.userColumn == null ? ColumnRef.index(0) : b.userColumn;
    this.itemColumn = b.itemColumn == null ? ColumnRef.index(1) : b.itemColumn;
    this.ratingColumn = Optional.ofNullable(b.ratingColumn);
    this.timestampColumn = Optional.ofNullable(b.timestampColumn);
    this.skipBadLines = b.skipBadLines;
  }

  /** The defaults for {@code format}. */
  public static ReaderOptions of(InteractionFormat format) {
    return builder(format).build();
  }

  /** A builder starting from the defaults for {@code format}. */
  public static Builder builder(InteractionFormat format) {
    return new Builder(format);
  }

  public InteractionFormat format() {
    return format;
  }

  /** The field delimiter of the {@code csv} format. */
  public char delimiter() {
    return delimiter;
  }

  /** Whether each {@code csv} file starts with a header line. */
  public boolean header() {
    return header;
  }

  /** The user column of the {@code csv} format. */
  public ColumnRef userColumn() {
    return userColumn;
  }

  /** The item column of the {@code csv} format. */
  public ColumnRef itemColumn() {
    return itemColumn;
  }

  /** The rating column of the {@code csv} format, if it has one. */
  public Optional<ColumnRef> ratingColumn() {
    return ratingColumn;
  }

  /** The timestamp column of the {@code csv} format, if it has one. */
  public Optional<ColumnRef> timestampColumn() {
    return timestampColumn;
  }

  /** Whether malformed lines are skipped and counted instead of failing the read. */
  public boolean skipBadLines() {
    return skipBadLines;
  }

  /** Whether interactions read with these options carry ratings. */
  public boolean hasRatings() {
    return format == InteractionFormat.CSV ? ratingColumn.isPresent() : format.alwaysHasRatings();
  }

  /** Whether interactions read with these options carry timestamps. */
  public boolean hasTimestamps() {
    return format == InteractionFormat.CSV ? timestampColumn.isPresent() : format.alwaysHasTimestamps();
  }

  @Override
  public String toString() {
    if (format != InteractionFormat.CSV) {
      return "ReaderOptions[" + format + ", skipBadLines=" + skipBadLines + "]";
    }
    return "ReaderOptions[csv, delimiter='" + delimiter + "', header=" + header + ", user=" + userColumn
        + ", item=" + itemColumn + ", rating=" + ratingColumn.map(Object::toString).orElse("none")
        + ", timestamp=" + timestampColumn.map(Object::toString).orElse("none") + ", skipBadLines=" + skipBadLines
        + "]";
  }

  /** Collects options; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final InteractionFormat format;
    private Character delimiter;
    private Boolean header;
    private ColumnRef userColumn;
    private ColumnRef itemColumn;
    private ColumnRef ratingColumn;
    private ColumnRef timestampColumn;
    private boolean skipBadLines;

    private Builder(InteractionFormat format) {
      this.format = Objects.requireNonNull(format, "format");
    }

    /** The {@code csv} field delimiter (default {@code ','}); any character but a quote or a line break. */
    public Builder delimiter(char delimiter) {
      this.delimiter = delimiter;
      return this;
    }

    /** Whether each {@code csv} file starts with a header line (default {@code true}). */
    public Builder header(boolean header) {
      this.header = header;
      return this;
    }

    /** The {@code csv} user column (default index 0). */
    public Builder userColumn(ColumnRef column) {
      this.userColumn = Objects.requireNonNull(column, "userColumn");
      return this;
    }

    /** The {@code csv} item column (default index 1). */
    public Builder itemColumn(ColumnRef column) {
      this.itemColumn = Objects.requireNonNull(column, "itemColumn");
      return this;
    }

    /** The {@code csv} rating column (default: none, so no ratings). */
    public Builder ratingColumn(ColumnRef column) {
      this.ratingColumn = Objects.requireNonNull(column, "ratingColumn");
      return this;
    }

    /** The {@code csv} timestamp column (default: none, so no timestamps). */
    public Builder timestampColumn(ColumnRef column) {
      this.timestampColumn = Objects.requireNonNull(column, "timestampColumn");
      return this;
    }

    /** Skip malformed lines, counting them, instead of failing (default {@code false}). */
    public Builder skipBadLines(boolean skipBadLines) {
      this.skipBadLines = skipBadLines;
      return this;
    }

    /**
     * The validated options.
     *
     * @throws IllegalArgumentException naming the offending setting
     */
    public ReaderOptions build() {
      if (format != InteractionFormat.CSV) {
        List<String> set = new ArrayList<>();
        if (delimiter != null) {
          set.add("delimiter");
        }
        if (header != null) {
          set.add("header");
        }
        if (userColumn != null || itemColumn != null || ratingColumn != null || timestampColumn != null) {
          set.add("columns");
        }
        if (!set.isEmpty()) {
          throw new IllegalArgumentException(
              String.join(", ", set) + " can only be set for the csv format; the " + format
                  + " format fixes its own layout");
        }
        return new ReaderOptions(this);
      }
      if (delimiter != null && (delimiter == '"' || delimiter == '\n' || delimiter == '\r')) {
        throw new IllegalArgumentException("delimiter must not be a double quote or a line break");
      }
      ReaderOptions options = new ReaderOptions(this);
      List<ColumnRef> columns = new ArrayList<>(List.of(options.userColumn, options.itemColumn));
      options.ratingColumn.ifPresent(columns::add);
      options.timestampColumn.ifPresent(columns::add);
      for (int i = 0; i < columns.size(); i++) {
        if (!options.header && columns.get(i) instanceof ColumnRef.ByName) {
          throw new IllegalArgumentException(
              columns.get(i) + " is given by name, but the files have no header line; give its index instead");
        }
        for (int j = 0; j < i; j++) {
          if (columns.get(i).equals(columns.get(j))) {
            throw new IllegalArgumentException(
                "user, item, rating and timestamp must be different columns; " + columns.get(i) + " is used twice");
          }
        }
      }
      return options;
    }
  }
}
