package org.vaecf.train;

import org.vaecf.model.EpochRecord;

/** Receives training progress (for progress bars, history files, checkpoints). Methods run on the training thread. */
public interface TrainingListener {
  /** Called after each optimiser step of an epoch. */
  default void onStep(int epoch, int batch, int batchesPerEpoch, long usersDone) {}

  /** Called after each epoch with its record; {@code best} says whether it is the best epoch so far. */
  default void onEpoch(EpochRecord record, boolean best) {}
}
