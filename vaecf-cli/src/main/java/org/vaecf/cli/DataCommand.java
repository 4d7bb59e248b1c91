package org.vaecf.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vaecf data}: the group of data-set commands. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    header = "Public data sets by name: data fetch ml-20m|ml-25m|ml-1m|ml-100k|ml-latest-small.",
    subcommands = {DataFetchCommand.class})
final class DataCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (fetch)");
  }
}
