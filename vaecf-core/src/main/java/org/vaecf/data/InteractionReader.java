package org.vaecf.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one or more interaction files of one {@link InteractionFormat} into a single {@link Interactions} log, in file
 * order (files in the order given, lines in file order).
 *
 * <p>Files are streamed line by line as UTF-8; a byte-order mark and CRLF line ends are accepted, blank lines are
 * skipped without notice. A malformed line fails the read with a {@link DataFormatException} naming file, line and
 * problem — unless {@link ReaderOptions#skipBadLines()} is set, in which case it is counted in
 * {@link ReadReport#skippedLines()}, the first {@value #LOGGED_BAD_LINES} are logged with their reason, and reading
 * goes on. A wrong header, bytes that are not UTF-8 (named with their line and their position in it) and an input with
 * no interaction at all are always errors. Repeated (user, item) pairs are merged and counted by
 * {@link Interactions.Builder}. A missing or unreadable file is an {@link UncheckedIOException} naming it.
 */
public final class InteractionReader {
  /** How many skipped lines are logged one by one; the rest are only counted. */
  public static final int LOGGED_BAD_LINES = 10;

  private static final Logger LOG = LoggerFactory.getLogger(InteractionReader.class);

  private final ReaderOptions options;

  public InteractionReader(ReaderOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Reads {@code files} with these options. */
  public Interactions read(Path... files) {
    return read(Arrays.asList(files));
  }

  /**
   * Reads {@code files} with these options.
   *
   * @throws DataFormatException for a malformed line (unless skipped), a bad header, or no interactions at all
   * @throws UncheckedIOException naming the file when one is missing or cannot be read
   * @throws IllegalArgumentException when no file is given
   */
  public Interactions read(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files given");
    }
    // Check every file before reading any, so a typo in the last name does not cost a long read of the first.
    for (Path file : files) {
      checkReadable(file);
    }
    Interactions.Builder builder = new Interactions.Builder(options.hasRatings(), options.hasTimestamps());
    Counts counts = new Counts();
    for (Path file : files) {
      readFile(file, builder, counts);
    }
    List<String> sources = files.stream().map(Path::toString).collect(Collectors.toList());
    if (builder.size() == 0) {
      throw new DataFormatException(
          String.join(", ", sources),
          "no interactions found (" + counts.lines + " data lines read, " + counts.skipped
              + " skipped as malformed); expected at least one " + options.format() + " interaction");
    }
    if (counts.skipped > LOGGED_BAD_LINES) {
      LOG.warn("skipped {} malformed lines in total (the first {} are logged above)", counts.skipped, LOGGED_BAD_LINES);
    }
    return builder.build(
        new ReadReport(sources, counts.lines, counts.skipped, builder.duplicatePairs(), options.format().cliName()));
  }

  private static void checkReadable(Path file) {
    if (Files.isDirectory(file)) {
      throw new UncheckedIOException(
          new IOException("input " + file + " is a directory; expected an interaction file"));
    }
    if (!Files.exists(file)) {
      throw new UncheckedIOException(
          "input file " + file + " does not exist", new NoSuchFileException(file.toString()));
    }
    if (!Files.isReadable(file)) {
      throw new UncheckedIOException(new IOException("input file " + file + " cannot be read (permission denied)"));
    }
  }

  private LineParser parserFor() {
    return switch (options.format()) {
      case MOVIELENS_CSV, MOVIELENS_100K, MOVIELENS_DAT -> MovieLensLineParser.forFormat(options.format());
      case CSV -> new CsvLineParser(options);
      case ADJACENCY -> new AdjacencyLineParser();
    };
  }

  private void readFile(Path file, Interactions.Builder builder, Counts counts) {
    String name = file.toString();
    LineParser parser = parserFor();
    ParsedLine parsed = new ParsedLine();
    boolean headerPending = parser.expectsHeader();
    long lineNumber = 0;
    // Lines are cut before they are decoded, so bytes that are not UTF-8 are named with their own line; the reader
    // also drops a byte-order mark.
    try (Utf8LineReader in = new Utf8LineReader(Files.newInputStream(file))) {
      while (true) {
        String line;
        try {
          line = in.readLine();
        } catch (Utf8LineReader.MalformedLineException e) {
          throw new DataFormatException(name, e.line(), e.problem());
        }
        if (line == null) {
          break;
        }
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        if (headerPending) {
          headerPending = false;
          try {
            parser.header(line);
          } catch (BadLineException e) {
            throw new DataFormatException(name, lineNumber, e.getMessage());
          }
          continue;
        }
        counts.lines++;
        parsed.clear();
        try {
          parser.parse(line, parsed);
        } catch (BadLineException e) {
          if (!options.skipBadLines()) {
            throw new DataFormatException(name, lineNumber, e.getMessage());
          }
          counts.skipped++;
          if (counts.skipped <= LOGGED_BAD_LINES) {
            LOG.warn("skipping {}:{}: {}", name, lineNumber, e.getMessage());
          }
          continue;
        }
        for (String item : parsed.items) {
          builder.add(parsed.user, item, parsed.rating, parsed.timestamp);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** Running totals over all files of one read. */
  private static final class Counts {
    long lines;
    long skipped;
  }
}
