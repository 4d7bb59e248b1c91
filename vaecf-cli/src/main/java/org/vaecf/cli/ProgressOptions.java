package org.vaecf.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --quiet} option of the commands that train, and the progress display it selects. */
final class ProgressOptions {
  @Option(
      names = {"-q", "--quiet"},
      description = "Show no progress (by default: a bar on a terminal, one line per epoch otherwise).")
  boolean quiet;

  /** The display mode for this run. */
  TrainingProgress.Mode mode() {
    return TrainingProgress.Mode.detect(quiet);
  }

  /** A progress listener drawing on {@code out}. */
  TrainingProgress listener(PrintWriter out, String label, int epochs, String metricName) {
    return new TrainingProgress(out, mode(), label, epochs, metricName, System::nanoTime);
  }

  /**
   * Turns the trainer's own per-epoch log lines down to warnings, since the display shows the same numbers (or, with
   * --quiet, nothing is wanted). slf4j-simple reads the level when the logger is created, so this must run before
   * the first {@code Trainer} of the process exists; {@code VAECF_DEBUG} keeps the log.
   */
  void takeOverTrainerLog() {
    if (System.getenv("VAECF_DEBUG") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.vaecf.train.Trainer", "warn");
    }
  }
}
