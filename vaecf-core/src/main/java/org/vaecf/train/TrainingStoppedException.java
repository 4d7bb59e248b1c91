package org.vaecf.train;

/** Training stopped because {@link Trainer#requestStop()} was called; a checkpoint was saved when configured. */
public final class TrainingStoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message where training stopped and how to resume */
  public TrainingStoppedException(String message) {
    super(message);
  }
}
