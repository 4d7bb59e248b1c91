package org.vaecf.model;

import java.nio.FloatBuffer;
import org.vaecf.data.CsrMatrix;
import org.vaecf.nn.SparseBatch;

/**
 * Scores users in prediction mode ({@code training = false}: no dropout, z = µ): row {@code u} of the result holds the
 * logits of every item for the user whose clicked items are row {@code u} of the input. Logits order items exactly
 * as the softmax probabilities do. Not thread-safe: it reuses the network's buffers.
 */
public final class ModelScorer {
  private final Autoencoder network;
  private final SparseBatch input;

  /** A scorer over {@code network} (which it uses exclusively while scoring). */
  public ModelScorer(Autoencoder network) {
    this.network = network;
    this.input = new SparseBatch(network.maxBatch());
  }

  /**
   * Logits for each row of {@code users} (at most {@link #capacity()} rows), row-major, in a buffer owned by the
   * network and valid until its next use.
   */
  public FloatBuffer score(CsrMatrix users) {
    if (users.cols() != network.items()) {
      throw new IllegalArgumentException(
          "rows have " + users.cols() + " item columns, the model has " + network.items());
    }
    if (users.rows() > network.maxBatch()) {
      throw new IllegalArgumentException(
          users.rows() + " users exceed the scorer's batch capacity " + network.maxBatch());
    }
    input.loadNormalized(users);
    return network.forward(input, false).buffer();
  }

  /** Most users per {@link #score} call. */
  public int capacity() {
    return network.maxBatch();
  }

  /** Number of items scored per user. */
  public int items() {
    return network.items();
  }
}
