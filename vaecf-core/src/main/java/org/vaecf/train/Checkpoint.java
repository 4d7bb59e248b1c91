package org.vaecf.train;

import java.util.List;
import java.util.Objects;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelWeights;

/**
 * Everything a training run needs to continue exactly where it stopped: the parameters and the optimiser state, the
 * position in the epoch (the user order and the batches done), the best epoch so far with its weights, and the
 * history. The noise and the shuffles are functions of (seed, step, row) and (seed, epoch), so no generator state is
 * needed beyond the step. Resuming from a checkpoint gives the same final weights, bit for bit, as not stopping.
 *
 * @param fingerprint identifies the model, settings and data; a checkpoint resumes only a run with the same one
 * @param progress where in training the checkpoint was taken
 * @param best the best epoch so far
 * @param history one record per finished epoch
 * @param weights the parameters
 * @param optimizer Adam's state
 */
public record Checkpoint(
    String fingerprint,
    Progress progress,
    Best best,
    List<EpochRecord> history,
    ModelWeights weights,
    Adam.State optimizer) {
  public Checkpoint {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(best, "best");
    history = List.copyOf(history);
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(optimizer, "optimizer");
  }

  /**
   * The position in training.
   *
   * @param epoch the epoch in progress, 1-based
   * @param batchesDone batches of that epoch already trained; 0 means the epoch has not started (its shuffle is
   *     still to come and {@code order} is the previous epoch's)
   * @param step optimiser steps taken in all
   * @param order the user order of the epoch in progress (or of the previous one when {@code batchesDone == 0})
   * @param nllSum sum of the batch NLLs of the epoch so far
   * @param klSum sum of the batch KLs so far
   * @param lossSum sum of the batch losses (NLL + β·KL) so far
   * @param lastBeta β of the last step
   * @param seconds seconds spent on the epoch so far
   */
  public record Progress(
      int epoch,
      int batchesDone,
      long step,
      int[] order,
      double nllSum,
      double klSum,
      double lossSum,
      double lastBeta,
      double seconds) {
    public Progress {
      Objects.requireNonNull(order, "order");
    }
  }

  /**
   * The best epoch so far.
   *
   * @param epoch its number, 0 when no epoch has finished
   * @param value its validation metric (−∞ before the first epoch; NaN without validation users)
   * @param weights its parameters (the current ones when no epoch has finished)
   */
  public record Best(int epoch, double value, ModelWeights weights) {
    public Best {
      Objects.requireNonNull(weights, "weights");
    }
  }
}
