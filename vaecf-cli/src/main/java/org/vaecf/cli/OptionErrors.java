package org.vaecf.cli;

import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Turns an invalid option value found while building a configuration into a usage error (exit code 2 with the
 * message and the command's usage), rather than a failure.
 */
final class OptionErrors {
  private OptionErrors() {}

  /** Builds something from the options; an {@link IllegalArgumentException} becomes a usage error. */
  static <T> T fromOptions(CommandSpec spec, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
