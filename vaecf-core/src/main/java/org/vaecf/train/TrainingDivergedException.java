package org.vaecf.train;

/** Training produced a non-finite loss; the message names the epoch, the step and the term. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what diverged and where */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
