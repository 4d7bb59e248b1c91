package org.vaecf.data;

/**
 * A malformed data line, reported by a {@link LineParser} to {@link InteractionReader}, which either fails with a
 * {@link DataFormatException} naming file and line or, when asked to, counts and skips the line. Checked so a parser
 * cannot forget it; no stack trace, because skipping millions of bad lines must stay cheap.
 */
final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  BadLineException(String problem) {
    super(problem, null, false, false);
  }
}
