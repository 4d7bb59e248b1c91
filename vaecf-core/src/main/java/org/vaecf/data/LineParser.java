package org.vaecf.data;

/** Turns the lines of one file of one format into interactions. One instance per file, since headers differ. */
interface LineParser {

  /** Whether the file's first non-blank line is a header to hand to {@link #header(String)}. */
  boolean expectsHeader();

  /**
   * Checks (and, for named columns, reads) the header line. A bad header is never skipped: nothing after it could
   * be trusted.
   */
  void header(String line) throws BadLineException;

  /** Parses one non-blank data line into {@code out}, which has been cleared. */
  void parse(String line, ParsedLine out) throws BadLineException;
}
