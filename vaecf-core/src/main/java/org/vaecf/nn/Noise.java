package org.vaecf.nn;

/**
 * The source of training noise (dropout masks, the reparameterization's ε): a seed plus the current training step.
 * A layer asks for the stream of one (purpose, row) pair at the current step, so the noise of each row is fixed by
 * (seed, step, row) alone.
 */
public final class Noise {
  /** Keys of the different users of noise, so that they never share a stream. */
  public enum Purpose {
    INPUT_DROPOUT,
    REPARAMETERIZATION
  }

  private final long seed;
  private long step;

  /** Noise for {@code seed}, positioned at step 0. */
  public Noise(long seed) {
    this.seed = seed;
  }

  /** Moves to training step {@code step} (the trainer calls this once per batch). */
  public void setStep(long step) {
    this.step = step;
  }

  /** The current step. */
  public long step() {
    return step;
  }

  /** The key of ({@code purpose}, {@code row}) at the current step, for counter-based generators. */
  public long key(Purpose purpose, int row) {
    return RandomStream.key(seed, purpose.ordinal(), step, row);
  }

  /** Re-keys {@code stream} for ({@code purpose}, {@code row}) at the current step and returns it. */
  public RandomStream stream(Purpose purpose, int row, RandomStream stream) {
    return stream.reset(RandomStream.key(seed, purpose.ordinal(), step, row));
  }
}
