package org.vaecf.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

/**
 * The parameters of {@link MultVae}: the input columns, the paper's data preparation, the architecture and the
 * training settings. Defaults are those of Liang et al., "Variational Autoencoders for Collaborative Filtering"
 * (WWW 2018) and their notebook, except {@code heldOutUsers}, which depends on the data and must be set.
 */
public interface MultVaeParams extends MultVaeModelParams {
  /**
   * Column of ratings (cast to float), or {@code ""} for logs without ratings, where every interaction counts.
   * Default {@code "rating"}.
   */
  Param<String> ratingCol();

  /** Ratings strictly above this are positive interactions; the rest are dropped. Default 3.5. */
  DoubleParam ratingThreshold();

  /** Users with fewer positive interactions are dropped. Default 5. */
  IntParam minUserInteractions();

  /**
   * Users held out of training for validation (which picks the best epoch), and as many again for test (reported
   * in the {@link MultVaeSummary}). No default: 10,000 in the paper on ML-20M; it must leave training users.
   */
  IntParam heldOutUsers();

  /** Seed of the user split and of initialisation, shuffling and training noise; 0..2^32-1. Default 98765. */
  LongParam seed();

  /** Widths of the hidden layers between items and latent code, outermost first. Default [600]. */
  IntArrayParam hidden();

  /** Width of the latent code. Default 200. */
  IntParam latent();

  /** Probability of dropping an input entry while training, in [0, 1). Default 0.5. */
  DoubleParam dropout();

  /** Passes over the training users. Default 200. */
  IntParam epochs();

  /** Users per training step. Default 500. */
  IntParam batchSize();

  /** Adam's learning rate. Default 1e-3. */
  DoubleParam learningRate();

  /** Largest weight β of the KL term. Default 0.2. */
  DoubleParam annealCap();

  /**
   * Steps over which β would reach 1 (β = min(cap, step / N)). Unset (the default): the cap is reached after 80% of
   * the planned steps. The paper used 200,000 on ML-20M.
   */
  LongParam totalAnnealSteps();

  /** Threads of the trainer on the driver. Unset (the default): all of the driver's cores. */
  IntParam threads();

  /**
   * Partitions of the model's user histories, and so tasks of {@link MultVaeModel#recommendForAllUsers}: users are
   * hashed into this many blocks, as ALS hashes them into {@code numUserBlocks}. Default 10.
   */
  IntParam numUserBlocks();

  default int getNumUserBlocks() {
    return (Integer) getOrDefault(numUserBlocks());
  }

  default String getRatingCol() {
    return getOrDefault(ratingCol());
  }

  default double getRatingThreshold() {
    return (Double) getOrDefault(ratingThreshold());
  }

  default int getMinUserInteractions() {
    return (Integer) getOrDefault(minUserInteractions());
  }

  /**
   * @throws java.util.NoSuchElementException when it has not been set
   */
  default int getHeldOutUsers() {
    return (Integer) getOrDefault(heldOutUsers());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default int[] getHidden() {
    return getOrDefault(hidden()).clone();
  }

  default int getLatent() {
    return (Integer) getOrDefault(latent());
  }

  default double getDropout() {
    return (Double) getOrDefault(dropout());
  }

  default int getEpochs() {
    return (Integer) getOrDefault(epochs());
  }

  default int getBatchSize() {
    return (Integer) getOrDefault(batchSize());
  }

  default double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  default double getAnnealCap() {
    return (Double) getOrDefault(annealCap());
  }
}
