package org.vaecf.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.vaecf.model.EpochRecord;
import org.vaecf.train.TrainingListener;

/**
 * Shows training as it goes: on a terminal a bar per epoch (batches done, users per second, time left in the epoch
 * and in the run) redrawn in place and replaced by the epoch's summary line when the epoch ends; elsewhere (a pipe, a
 * CI log) only the summary line, once per epoch; or nothing at all.
 */
final class TrainingProgress implements TrainingListener {
  /** How progress is shown. */
  enum Mode {
    /** A bar redrawn in place, for a terminal. */
    BAR,
    /** One line per epoch, for logs. */
    LINES,
    /** Nothing. */
    NONE;

    /**
     * {@link #BAR} when standard input and output are a terminal (what {@link System#console()} tells on Java 17) that
     * is not {@code TERM=dumb}, {@link #LINES} otherwise; {@link #NONE} when {@code quiet}.
     */
    static Mode detect(boolean quiet) {
      if (quiet) {
        return NONE;
      }
      return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? BAR : LINES;
    }
  }

  /** Bars are redrawn at most this often, so a fast epoch does not flood the terminal. */
  static final long REDRAW_NANOS = 100_000_000L;

  private static final int BAR_WIDTH = 28;

  private final PrintWriter out;
  private final Mode mode;
  private final String label;
  private final int epochs;
  private final String metricName;
  private final LongSupplier clock;
  private final long runStarted;
  private long epochStarted;
  private long lastDrawn = Long.MIN_VALUE;
  private int drawnWidth;

  /**
   * @param out where to draw
   * @param mode how
   * @param label a prefix naming the run (e.g. the model), or empty
   * @param epochs planned epochs, for the run's time left
   * @param metricName name of the validation metric, e.g. {@code ndcg@100}
   * @param clock nanosecond clock ({@code System::nanoTime}; tests pass their own)
   */
  TrainingProgress(PrintWriter out, Mode mode, String label, int epochs, String metricName, LongSupplier clock) {
    this.out = out;
    this.mode = mode;
    this.label = label.isEmpty() ? "" : label + " ";
    this.epochs = epochs;
    this.metricName = metricName;
    this.clock = clock;
    this.runStarted = clock.getAsLong();
    this.epochStarted = runStarted;
  }

  @Override
  public void onStep(int epoch, int batch, int batchesPerEpoch, long usersDone) {
    if (mode != Mode.BAR) {
      return;
    }
    long now = clock.getAsLong();
    if (batch < batchesPerEpoch && lastDrawn != Long.MIN_VALUE && now - lastDrawn < REDRAW_NANOS) {
      return;
    }
    lastDrawn = now;
    draw(bar(epoch, batch, batchesPerEpoch, usersDone, now));
  }

  @Override
  public void onEpoch(EpochRecord record, boolean best) {
    long now = clock.getAsLong();
    epochStarted = now;
    if (mode == Mode.NONE) {
      return;
    }
    String line = summary(record, best);
    if (mode == Mode.BAR) {
      draw(line);
      out.print('\n');
      drawnWidth = 0;
      lastDrawn = Long.MIN_VALUE;
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The bar of an epoch in progress. */
  String bar(int epoch, int batch, int batchesPerEpoch, long usersDone, long now) {
    double fraction = (double) batch / batchesPerEpoch;
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    double epochSeconds = (now - epochStarted) / 1e9;
    double perBatch = batch == 0 ? 0 : epochSeconds / batch;
    double epochLeft = perBatch * (batchesPerEpoch - batch);
    double runSeconds = (now - runStarted) / 1e9;
    double doneEpochs = epoch - 1 + fraction;
    double runLeft = doneEpochs <= 0 ? Double.NaN : runSeconds / doneEpochs * (epochs - doneEpochs);
    return String.format(
        Locale.ROOT,
        "%sepoch %d/%d %s%s %d/%d batches  %,.0f users/s  epoch %s left  run %s left",
        label, epoch, epochs, "█".repeat(filled), "░".repeat(BAR_WIDTH - filled), batch, batchesPerEpoch,
        epochSeconds > 0 ? usersDone / epochSeconds : 0.0, clock(epochLeft), clock(runLeft));
  }

  /** The line that stays once an epoch is over. */
  String summary(EpochRecord record, boolean best) {
    return String.format(
        Locale.ROOT,
        "%sepoch %d/%d  loss %.2f  nll %.2f  kl %.2f  β %.3f  %s %s%s  %.1f s",
        label, record.epoch(), epochs, record.loss(), record.nll(), record.kl(), record.beta(), metricName,
        Format.metric(record.validation()), best && Double.isFinite(record.validation()) ? " (best)" : "",
        record.seconds());
  }

  private void draw(String line) {
    int width = line.length();
    out.print('\r');
    out.print(line);
    if (drawnWidth > width) {
      out.print(" ".repeat(drawnWidth - width));
    }
    drawnWidth = width;
    out.flush();
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}; {@code ?} while unknown. */
  static String clock(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long total = Math.round(seconds);
    long hours = total / 3600;
    long minutes = total / 60 % 60;
    long secs = total % 60;
    return hours > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
        : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
  }
}
