package org.vaecf.data;

import java.util.List;
import java.util.Objects;

/**
 * What reading an interaction source found.
 *
 * @param sources the files read, in order
 * @param linesRead data lines seen (header and blank lines excluded, skipped lines included)
 * @param skippedLines malformed lines skipped because skipping was asked for
 * @param duplicatePairs repeated (user, item) pairs merged into their first occurrence
 * @param format command-line name of the {@link InteractionFormat} read, or {@code "unspecified"} when the
 *     interactions were not read by {@link InteractionReader}
 */
public record ReadReport(List<String> sources, long linesRead, long skippedLines, long duplicatePairs, String format) {
  /** What {@link #format()} holds for interactions assembled by hand rather than read from files. */
  public static final String UNSPECIFIED_FORMAT = "unspecified";

  public ReadReport {
    sources = List.copyOf(sources);
    Objects.requireNonNull(format, "format");
  }

  /** A report for interactions that did not come from a known file format. */
  public ReadReport(List<String> sources, long linesRead, long skippedLines, long duplicatePairs) {
    this(sources, linesRead, skippedLines, duplicatePairs, UNSPECIFIED_FORMAT);
  }
}
