package org.vaecf.train;

/**
 * KL annealing of Mult-VAE (Liang et al., WWW 2018, §2.2.2): the KL weight grows linearly with the optimiser step,
 * {@code β = min(cap, step / totalSteps)}, counting steps from 0 before the first update, as the notebook does.
 */
public final class AnnealSchedule {
  /** The fraction of the planned steps at which {@code auto} reaches the cap. */
  public static final double AUTO_FRACTION = 0.8;

  private final double cap;
  private final double totalSteps;

  /**
   * @param cap the largest β, in [0, ∞). Paper: 0.2
   * @param totalSteps steps over which β would grow from 0 to 1, {@code > 0}. Paper (ML-20M): 200,000
   */
  public AnnealSchedule(double cap, double totalSteps) {
    if (!(cap >= 0) || Double.isInfinite(cap)) {
      throw new IllegalArgumentException("annealCap must be >= 0, got " + cap);
    }
    if (!(totalSteps > 0)) {
      throw new IllegalArgumentException("totalAnnealSteps must be > 0, got " + totalSteps);
    }
    this.cap = cap;
    this.totalSteps = totalSteps;
  }

  /**
   * The schedule that reaches {@code cap} after {@link #AUTO_FRACTION} of {@code plannedSteps}, i.e.
   * {@code totalSteps = 0.8 · plannedSteps / cap} (with cap 0 β stays 0).
   */
  public static AnnealSchedule auto(double cap, long plannedSteps) {
    double reachAt = Math.max(1.0, AUTO_FRACTION * plannedSteps);
    return new AnnealSchedule(cap, cap > 0 ? reachAt / cap : reachAt);
  }

  /** β for the update made at {@code step} (0-based). */
  public double beta(long step) {
    return Math.min(cap, step / totalSteps);
  }

  /** The cap. */
  public double cap() {
    return cap;
  }

  /** Steps over which β would reach 1. */
  public double totalSteps() {
    return totalSteps;
  }
}
