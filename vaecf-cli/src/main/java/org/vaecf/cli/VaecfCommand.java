package org.vaecf.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code vaecf} command. */
@Command(
    name = "vaecf",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Variational autoencoders for collaborative filtering (Mult-VAE, Mult-DAE; Liang et al., WWW 2018).",
      "Start with: vaecf demo"
    },
    subcommands = {
      DemoCommand.class,
      PrepareCommand.class,
      TrainCommand.class,
      CompareCommand.class,
      ReportCommand.class,
      TuneBetaCommand.class,
      DataCommand.class,
      EvaluateCommand.class,
      RecommendCommand.class,
      RecommendAllCommand.class,
      ServeCommand.class,
      BenchCommand.class,
      SaveLoopCommand.class,
      CommandLine.HelpCommand.class
    })
public final class VaecfCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    CommandLine commandLine = newCommandLine();
    int code = commandLine.execute(args);
    commandLine.getOut().flush();
    commandLine.getErr().flush();
    System.exit(code);
  }

  /** The configured command line (also used by tests). */
  public static CommandLine newCommandLine() {
    return new CommandLine(new VaecfCommand())
        .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
        .setExecutionExceptionHandler(new FailureHandler())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }
}
