package org.vaecf.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.TrainingRecord;
import org.vaecf.train.AnnealSchedule;

/**
 * The KL weight β at every optimiser step of a run. β is a deterministic function of the step
 * ({@link AnnealSchedule}), so it is rebuilt from the recorded settings (cap, total anneal steps or {@code auto},
 * epochs, steps per epoch) rather than stored per step; the β recorded at the end of each epoch checks it.
 *
 * @param steps step numbers (0-based), increasing
 * @param betas β used at each of those steps
 */
public record BetaCurve(double[] steps, double[] betas) {
  /** Most points drawn: β is piecewise linear, so a thousand samples plus the kink draw it exactly. */
  static final int MAX_POINTS = 1000;

  /**
   * The curve of {@code record}'s run, or empty when its settings lack the anneal cap or the history is empty (a
   * bundle written by hand); the per-epoch β of the history are still there to plot then.
   */
  public static Optional<BetaCurve> of(TrainingRecord record) {
    Map<String, Object> settings = record.settings();
    List<EpochRecord> history = record.history();
    if (history.isEmpty() || !(settings.get("annealCap") instanceof Number cap)) {
      return Optional.empty();
    }
    long stepsPerEpoch = history.get(0).steps();
    long lastStep = history.get(history.size() - 1).steps() - 1;
    if (stepsPerEpoch <= 0 || lastStep < 0) {
      return Optional.empty();
    }
    Object total = settings.get("totalAnnealSteps");
    AnnealSchedule schedule;
    if (total instanceof Number steps) {
      schedule = new AnnealSchedule(cap.doubleValue(), steps.doubleValue());
    } else if (settings.get("epochs") instanceof Number epochs) {
      schedule = AnnealSchedule.auto(cap.doubleValue(), epochs.longValue() * stepsPerEpoch);
    } else {
      return Optional.empty();
    }
    java.util.TreeSet<Long> samples = new java.util.TreeSet<>();
    long stride = Math.max(1, (lastStep + MAX_POINTS - 1) / MAX_POINTS);
    for (long step = 0; step <= lastStep; step += stride) {
      samples.add(step);
    }
    samples.add(lastStep);
    long kink = (long) Math.ceil(schedule.cap() * schedule.totalSteps()); // first step at the cap
    if (kink <= lastStep) {
      samples.add(kink);
    }
    double[] steps = samples.stream().mapToDouble(Long::doubleValue).toArray();
    double[] betas = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      betas[i] = schedule.beta((long) steps[i]);
    }
    return Optional.of(new BetaCurve(steps, betas));
  }
}
