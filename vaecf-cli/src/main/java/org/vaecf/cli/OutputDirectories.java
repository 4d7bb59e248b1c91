package org.vaecf.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vaecf.data.AtomicDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks an output directory before a command does its work. The final write ({@link AtomicDirectory#write}) refuses
 * a directory that vaecf did not write, which is right, but a command that trains or splits first would only learn
 * that after minutes or hours of work, and throw the work away; so each such command asks here first.
 */
final class OutputDirectories {
  private OutputDirectories() {}

  /**
   * Fails as a usage error unless {@code dir} is absent, empty, or holds one of {@code markers} (the files by which
   * vaecf recognises a directory it wrote).
   *
   * @param option the option that named the directory, for the message (e.g. {@code --out})
   * @param markers the marker file names, in the order the message lists them
   */
  static void requireReplaceable(CommandSpec spec, String option, Path dir, List<String> markers) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + " " + dir + " exists and is not a directory; choose a directory");
    }
    if (!AtomicDirectory.replaceable(dir, java.util.Set.copyOf(markers))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          option + " " + dir + " is a directory that vaecf did not write (no " + String.join(" or ", markers)
              + "); choose a new or empty directory");
    }
  }
}
