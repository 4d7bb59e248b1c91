package org.vaecf.train;

import java.util.Optional;
import org.vaecf.model.TrainedModel;

/**
 * Training produced a non-finite loss or parameter. The message names the epoch, the step and the tensor; the best
 * model of the epochs before, if any, comes with the exception so that it can be kept.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String tensor;
  private final transient Optional<TrainedModel> bestSoFar;

  /** A divergence detected inside a step, before the trainer knows more. */
  public TrainingDivergedException(String message) {
    this(message, "the loss", Optional.empty());
  }

  /**
   * @param message what diverged and where
   * @param tensor the tensor (or "the loss") that was first found non-finite
   * @param bestSoFar the model of the best finished epoch, if there was one
   */
  public TrainingDivergedException(String message, String tensor, Optional<TrainedModel> bestSoFar) {
    super(message);
    this.tensor = tensor;
    this.bestSoFar = bestSoFar;
  }

  /** The tensor first found non-finite, or "the loss". */
  public String tensor() {
    return tensor;
  }

  /** The model of the best finished epoch, if any. */
  public Optional<TrainedModel> bestSoFar() {
    return bestSoFar;
  }
}
