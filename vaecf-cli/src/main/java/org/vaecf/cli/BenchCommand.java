package org.vaecf.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vaecf bench}: the benchmarks, one subcommand each. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Benchmarks: training throughput against the machine's GEMM rate, and the HTTP service under load.",
    description = "Measure on this machine and print the figures (--json for one JSON object).",
    subcommands = {
      BenchTrainCommand.class,
      BenchKernelsCommand.class,
      BenchServeCommand.class,
      BenchRecommendAllCommand.class,
      BenchSoakCommand.class
    })
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required (see --help)");
  }
}
