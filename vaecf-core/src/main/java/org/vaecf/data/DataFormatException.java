package org.vaecf.data;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Input data that cannot be used as it is: a malformed line, a wrong header, a file with no interactions, a corrupt
 * prepared-data file. The message names the file, the line when there is one, and the problem with what was
 * expected, e.g. {@code ratings.csv:17: rating 'abc' is not a number (expected a non-negative decimal)}, so that a
 * command-line tool can print it to the user as it is.
 */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long line;
  private final String problem;

  /** A problem at 1-based {@code line} of {@code file}. */
  public DataFormatException(String file, long line, String problem) {
    super(Objects.requireNonNull(file, "file") + ":" + line + ": " + Objects.requireNonNull(problem, "problem"));
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1, got " + line);
    }
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /** A problem with {@code file} as a whole. */
  public DataFormatException(String file, String problem) {
    super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"));
    this.file = file;
    this.line = 0;
    this.problem = problem;
  }

  /** The file (or files, comma separated) concerned, as it was named to the reader. */
  public String file() {
    return file;
  }

  /** The 1-based line number, when the problem is on one line. */
  public OptionalLong line() {
    return line == 0 ? OptionalLong.empty() : OptionalLong.of(line);
  }

  /** The problem alone, without file and line. */
  public String problem() {
    return problem;
  }
}
