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

  /**
   * A progress listener drawing on {@code out}. The trainer's own per-epoch log line is turned down to warnings
   * first, since the display shows the same numbers (the level is read when the logger is created, which is on the
   * first training run of the process).
   */
  TrainingProgress listener(PrintWriter out, String label, int epochs, String metricName) {
    quietTrainerLog();
    return new TrainingProgress(out, mode(), label, epochs, metricName, System::nanoTime);
  }

  static void quietTrainerLog() {
    if (System.getenv("VAECF_DEBUG") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.vaecf.train.Trainer", "warn");
    }
  }
}
