package org.vaecf.data;

import java.util.List;

/**
 * What reading an interaction source found.
 *
 * @param sources the files read, in order
 * @param linesRead data lines seen (header lines excluded)
 * @param skippedLines malformed lines skipped because skipping was asked for
 * @param duplicatePairs repeated (user, item) pairs merged into their first occurrence
 */
public record ReadReport(List<String> sources, long linesRead, long skippedLines, long duplicatePairs) {
  public ReadReport {
    sources = List.copyOf(sources);
  }
}
