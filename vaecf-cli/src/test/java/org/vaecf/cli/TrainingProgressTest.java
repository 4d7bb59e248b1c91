package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vaecf.model.EpochRecord;

/** The progress display with a hand-driven clock: what a terminal and a log receive. */
class TrainingProgressTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(0);
  private final StringWriter text = new StringWriter();

  private TrainingProgress progress(TrainingProgress.Mode mode) {
    return new TrainingProgress(new PrintWriter(text), mode, "", 10, "ndcg@100", now::get);
  }

  private static EpochRecord epoch(int number, double validation) {
    return new EpochRecord(number, 512.25, 500.5, 58.75, 0.2, validation, 2.0, 0.001, number * 4L);
  }

  @Test
  void barShowsBatchesUsersPerSecondAndTimeLeft() {
    TrainingProgress bar = progress(TrainingProgress.Mode.BAR);
    now.set(2 * SECOND);
    bar.onStep(1, 1, 4, 500); // a quarter of epoch 1 after 2 s: 250 users/s, 6 s left in the epoch, 78 s in the run
    assertThat(text.toString())
        .isEqualTo("\repoch 1/10 ███████░░░░░░░░░░░░░░░░░░░░░ 1/4 batches  250 users/s  epoch 0:06 left  run 1:18 left");
  }

  @Test
  void barIsRedrawnInPlaceAtMostTenTimesASecondAndReplacedByTheSummary() {
    TrainingProgress bar = progress(TrainingProgress.Mode.BAR);
    now.set(SECOND);
    bar.onStep(1, 1, 4, 100);
    now.addAndGet(TrainingProgress.REDRAW_NANOS / 2);
    bar.onStep(1, 2, 4, 200); // too soon: not drawn
    now.addAndGet(TrainingProgress.REDRAW_NANOS);
    bar.onStep(1, 3, 4, 300);
    bar.onStep(1, 4, 4, 400); // the last batch is always drawn
    bar.onEpoch(epoch(1, 0.25), true);
    String out = text.toString();
    assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(4); // three bars and the summary
    assertThat(out).doesNotContain(" 2/4 batches").contains(" 3/4 batches").contains(" 4/4 batches");
    assertThat(out).endsWith(
        "\repoch 1/10  loss 512.25  nll 500.50  kl 58.75  β 0.200  ndcg@100 0.2500 (best)  2.0 s"
            + " ".repeat(lastBarLength(out) - summaryLength()) + "\n");
  }

  private static int lastBarLength(String out) {
    String[] parts = out.split("\r");
    return parts[parts.length - 2].length();
  }

  private static int summaryLength() {
    return "epoch 1/10  loss 512.25  nll 500.50  kl 58.75  β 0.200  ndcg@100 0.2500 (best)  2.0 s".length();
  }

  @Test
  void linesModePrintsOnlyOneLinePerEpoch() {
    TrainingProgress lines = progress(TrainingProgress.Mode.LINES);
    lines.onStep(1, 1, 2, 10);
    lines.onStep(1, 2, 2, 20);
    lines.onEpoch(epoch(1, 0.25), true);
    lines.onEpoch(epoch(2, Double.NaN), false);
    assertThat(text.toString().split("\n")).containsExactly(
        "epoch 1/10  loss 512.25  nll 500.50  kl 58.75  β 0.200  ndcg@100 0.2500 (best)  2.0 s",
        "epoch 2/10  loss 512.25  nll 500.50  kl 58.75  β 0.200  ndcg@100 n/a  2.0 s");
  }

  @Test
  void quietPrintsNothing() {
    TrainingProgress none = progress(TrainingProgress.Mode.NONE);
    none.onStep(1, 1, 1, 10);
    none.onEpoch(epoch(1, 0.25), true);
    assertThat(text.toString()).isEmpty();
    assertThat(TrainingProgress.Mode.detect(true)).isEqualTo(TrainingProgress.Mode.NONE);
  }

  @Test
  void clockFormatsMinutesAndHours() {
    assertThat(TrainingProgress.clock(59.6)).isEqualTo("1:00");
    assertThat(TrainingProgress.clock(3725)).isEqualTo("1:02:05");
    assertThat(TrainingProgress.clock(Double.NaN)).isEqualTo("?");
  }
}
