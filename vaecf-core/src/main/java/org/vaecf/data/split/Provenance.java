package org.vaecf.data.split;

import java.util.List;
import java.util.Objects;

/**
 * How a prepared data set was made, kept with it (and written to {@code stats.json}) so that a model trained on it
 * can say which data and which split it saw.
 *
 * @param format command-line name of the input format ({@code movielens-100k}, …)
 * @param inputs the input files, in the order read
 * @param split the split and its settings
 */
public record Provenance(String format, List<String> inputs, SplitConfig split) {
  public Provenance {
    Objects.requireNonNull(format, "format");
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(split, "split");
  }
}
