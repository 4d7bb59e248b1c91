package org.vaecf.model;

import java.util.Objects;
import org.vaecf.data.IdIndex;
import org.vaecf.linalg.Parallel;

/**
 * An immutable trained Mult-VAE or Mult-DAE: architecture, the item index of its training data, the weights of the
 * best epoch, and the record of its training. It never holds training data; recommenders and evaluators build
 * prediction-mode networks from it with {@link #newNetwork}.
 */
public final class TrainedModel {
  private final ModelConfig config;
  private final IdIndex items;
  private final ModelWeights weights;
  private final TrainingRecord training;

  /**
   * @throws IllegalArgumentException if the weights do not fit the architecture and item count
   */
  public TrainedModel(ModelConfig config, IdIndex items, ModelWeights weights, TrainingRecord training) {
    this.config = Objects.requireNonNull(config, "config");
    this.items = Objects.requireNonNull(items, "items");
    this.weights = Objects.requireNonNull(weights, "weights");
    this.training = Objects.requireNonNull(training, "training");
    Autoencoder.checkWeights(config, items.size(), weights);
  }

  /** The architecture. */
  public ModelConfig config() {
    return config;
  }

  /** Raw item ids ↔ the model's item columns. */
  public IdIndex items() {
    return items;
  }

  /** The weights of the best epoch. */
  public ModelWeights weights() {
    return weights;
  }

  /** Provenance and history. */
  public TrainingRecord training() {
    return training;
  }

  /**
   * A new network holding these weights, for scoring batches of up to {@code maxBatch} users with the given
   * threads.
   */
  public Autoencoder newNetwork(int maxBatch, Parallel parallel) {
    return Autoencoder.fromWeights(config, items.size(), weights, maxBatch, parallel);
  }
}
