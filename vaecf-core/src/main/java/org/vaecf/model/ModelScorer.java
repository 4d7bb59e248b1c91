package org.vaecf.model;

import java.nio.FloatBuffer;
import java.util.List;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.ColumnPanels;
import org.vaecf.linalg.Matrix;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.SparseBatch;

/**
 * Scores users in prediction mode ({@code training = false}: no dropout, z = µ): row {@code u} of the result holds the
 * logits of every item for the user whose clicked items are row {@code u} of the input. Logits order items exactly
 * as the softmax probabilities do. Not thread-safe: it reuses the network's buffers.
 *
 * <p>Two kinds: {@link #ModelScorer(Autoencoder) live} reads the network as it is (training validates with it while the
 * weights change); {@link #snapshot(Autoencoder) snapshot} is for a network whose weights no longer change (serving,
 * batch scoring) and keeps its own copy of the output weight in the layout that multiplies fastest at its batch size:
 * packed into column panels for small batches (a service's), transposed for OpenBLAS for large ones (batch scoring's).
 * The output product dominates prediction (600 × 20,108 on ML-20M). The kinds sum in different orders, so their
 * logits agree to float rounding, not bit for bit.
 */
public final class ModelScorer implements AutoCloseable {
  /**
   * Largest batch capacity scored with {@link ColumnPanels}; larger ones use OpenBLAS on a transposed copy. Measured
   * on this project's 2-core machine, one thread, 20,108 items: panels 2.1 ms for 8 users against 5.4 with sgemm,
   * 4.8 against 7.9 for 19; at 64 users sgemm is ahead (13.8 against 15.3 ms), and a scorer of that capacity serves
   * mostly smaller batches.
   */
  static final int PANEL_MAX_BATCH = 64;

  /** Products run by {@link #warmUp}: enough for the kernels to reach their compiled speed (measured). */
  private static final int WARM_UP_PRODUCTS = 16;

  private final Autoencoder network;
  private final SparseBatch input;
  /** A snapshot's own output layer; null for a live scorer. */
  private final SnapshotOutput output;

  /** A live scorer over {@code network} (which it uses exclusively while scoring). */
  public ModelScorer(Autoencoder network) {
    this(network, null);
  }

  private ModelScorer(Autoencoder network, SnapshotOutput output) {
    this.network = network;
    this.input = new SparseBatch(network.maxBatch());
    this.output = output;
  }

  /**
   * A scorer over a network whose weights will not change again (one built by {@link TrainedModel#newNetwork}),
   * holding its own copy of the output weight: packed into {@link ColumnPanels} when the network's batch capacity is
   * at most {@value #PANEL_MAX_BATCH}, else transposed for OpenBLAS. The scorer takes the network over: the network's
   * own output layer is released at once (the scorer never uses it; at 20,108 items it is 48 MB of weight plus the
   * batch's activations), so the network must not be used except through the scorer.
   */
  public static ModelScorer snapshot(Autoencoder network) {
    List<Parameter> parameters = network.parameters();
    // parameters are in network order: the output layer's weight (hidden × items) and bias come last
    Matrix weight = parameters.get(parameters.size() - 2).value();
    Matrix bias = parameters.get(parameters.size() - 1).value();
    SnapshotOutput output =
        network.maxBatch() <= PANEL_MAX_BATCH && ColumnPanels.fits(weight.rows(), weight.cols())
            ? new PanelOutput(weight, bias, network.maxBatch())
            : new TransposedOutput(weight, bias, network.maxBatch());
    network.closeOutputLayer();
    return new ModelScorer(network, output);
  }

  /**
   * Logits for each row of {@code users} (at most {@link #capacity()} rows), row-major, in a buffer owned by the
   * scorer or its network and valid until its next use. Read it with absolute gets only.
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
    if (output == null) {
      return network.forward(input, false).buffer();
    }
    return output.multiply(network.forwardHidden(input), users.rows(), network.parallel());
  }

  /**
   * Runs {@value #WARM_UP_PRODUCTS} products on synthetic rows (every row size from 1 to 15, so every row group of the
   * SIMD kernels), so that the JIT has compiled the kernels before a real user waits for them: in a fresh JVM the
   * first product of a 20,108-item model runs interpreted (0.4 s for 15 users, measured) and the next dozen under the
   * first compilers (9 ms, against 5.5 once compiled). In a warm JVM this costs a few small products. The scorer's
   * results afterwards are what they would have been.
   */
  public void warmUp() {
    int rows = Math.min(capacity(), 15);
    for (int product = 0; product < WARM_UP_PRODUCTS; product++) {
      CsrMatrix.Builder users = new CsrMatrix.Builder(items());
      for (int r = 0; r < rows; r++) {
        users.addRow(new int[] {(product * rows + r) % items()});
      }
      score(users.build());
    }
  }

  /** Most users per {@link #score} call. */
  public int capacity() {
    return network.maxBatch();
  }

  /** Number of items scored per user. */
  public int items() {
    return network.items();
  }

  /**
   * Gives back the direct memory of the scorer and its network at once (see {@link Autoencoder#close()}); neither may
   * be used afterwards.
   */
  @Override
  public void close() {
    network.close();
    if (output != null) {
      output.close();
    }
  }
}
