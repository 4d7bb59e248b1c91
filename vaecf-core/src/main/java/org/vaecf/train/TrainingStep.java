package org.vaecf.train;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.nn.ColumnBlockUpdate;
import org.vaecf.nn.Parameter;
import org.vaecf.nn.RowUpdate;
import org.vaecf.nn.SparseBatch;

/**
 * One optimiser step on one batch of users: load the rows (L2-normalised), forward in training mode, the multinomial
 * loss and its gradient, backward with the KL weight of this step, Adam. The output layer and the likelihood run
 * fused ({@link org.vaecf.nn.OutputLayer#forwardLoss}), and the two item-sized weights are updated while their
 * gradients are computed ({@link Adam#columnBlockUpdate}, {@link Adam#rowUpdate}); the result equals the plain sequence (forward, likelihood,
 * backward, {@link Adam#step()}) up to float rounding. Owns the step's buffers, which are reused, so the steady state
 * allocates nothing large. The parts are reported to a {@link StepTimer} so benchmarks can time them.
 */
public final class TrainingStep {
  /**
   * How long the threads of a training run poll for the next loop before they sleep ({@link Parallel#Parallel(int,
   * Duration)}): a step runs some twenty parallel loops, most apart by well under a millisecond, and a wake-up costs
   * 40–70 µs on a virtual machine.
   */
  public static final Duration THREAD_SPIN = Duration.ofMillis(1);

  /** Slots between two threads' counters in {@link #outputUpdateNanos}: a cache line of longs. */
  private static final int NANOS_STRIDE = 8;

  /**
   * The parts of a step, in order, each ending where the next begins: {@code INPUT} loads the batch's rows;
   * {@code FIRST_LAYER} is dropout and the sparse first layer (with the late updates of the rows it reads);
   * {@code INNER_FORWARD} the rest of the network up to the output layer's input; {@code OUTPUT_PRODUCT} the output
   * layer's product {@code h · W}; {@code LIKELIHOOD} the likelihood's pass turning the logits into their gradient
   * (with ∂b of the output layer); {@code OUTPUT_BACKWARD} ∂h and ∂W of the output layer in item blocks, each block's
   * update of the output weight made as it is computed ({@link #outputWeightUpdateMillis()} times that update alone);
   * {@code INNER_BACKWARD} the backward pass down to the first layer's output; {@code FIRST_LAYER_BACKWARD} the first
   * layer's gradient, each row updated as it is computed; {@code UPDATE} every other parameter's update.
   */
  public enum Part {
    INPUT,
    FIRST_LAYER,
    INNER_FORWARD,
    OUTPUT_PRODUCT,
    LIKELIHOOD,
    OUTPUT_BACKWARD,
    INNER_BACKWARD,
    FIRST_LAYER_BACKWARD,
    UPDATE
  }

  /** Receives the end of each part of a step. */
  @FunctionalInterface
  public interface StepTimer {
    /** Called when {@code part} has finished. */
    void partDone(Part part);

    /** A timer that does nothing. */
    StepTimer NONE = part -> {};
  }

  /**
   * What one step measured.
   *
   * @param nll mean negative multinomial log-likelihood of the batch
   * @param kl mean KL divergence of the batch (0 for Mult-DAE)
   * @param beta the KL weight used
   */
  public record Losses(double nll, double kl, double beta) {}

  private final Autoencoder network;
  private final Adam adam;
  private final AnnealSchedule anneal;
  private final SparseBatch input;
  private final Parameter outputWeight;
  private final ColumnBlockUpdate outputWeightUpdate;
  private final Parameter inputWeight;
  private final RowUpdate inputWeightUpdate;
  /** Nanoseconds in the output weight's update in the last step, per thread (every {@link #NANOS_STRIDE}th slot). */
  private final long[] outputUpdateNanos;
  /** The timer of the step running, for {@link #outputProductDone}. */
  private StepTimer currentTimer = StepTimer.NONE;
  private final Runnable outputProductDone = () -> currentTimer.partDone(Part.OUTPUT_PRODUCT);

  /**
   * @param network the network to train (its batch capacity bounds the batch size)
   * @param config learning rate and λ
   * @param anneal the KL schedule (ignored for Mult-DAE)
   * @param parallel threads for the loops
   */
  public TrainingStep(Autoencoder network, TrainConfig config, AnnealSchedule anneal, Parallel parallel) {
    this.network = network;
    if (parallel.threads() != network.parallel().threads()) {
      // the layers hand Adam their gradient blocks from their own threads, numbered for Adam's per-thread scratch
      throw new IllegalArgumentException(
          "the step runs on " + parallel.threads() + " threads, the network on " + network.parallel().threads());
    }
    this.adam = new Adam(network.parameters(), config.adam(), config.l2(), network.parallel());
    this.anneal = anneal;
    this.input = new SparseBatch(network.maxBatch());
    // The two item-sized weights are updated as their gradients are computed — the output weight (hidden × items) block
    // by block, the first layer's (items × hidden) row by row — and their gradients are never stored.
    this.outputWeight = network.outputLayer().weight();
    this.outputUpdateNanos = new long[parallel.threads() * NANOS_STRIDE];
    this.outputWeightUpdate = timed(adam.columnBlockUpdate(outputWeight));
    this.inputWeight = network.inputLayer().weight();
    this.inputWeightUpdate = adam.rowUpdate(inputWeight);
  }

  /**
   * Trains on users {@code order[from..to)} of {@code data} as optimiser step {@code step} (0-based; it keys the noise
   * and the KL weight).
   *
   * @throws TrainingDivergedException if the loss is not finite (then no parameter has changed)
   */
  public Losses run(CsrMatrix data, int[] order, int from, int to, long step, StepTimer timer) {
    currentTimer = timer;
    Arrays.fill(outputUpdateNanos, 0L);
    network.setStep(step);
    input.loadNormalized(data, order, from, to);
    timer.partDone(Part.INPUT);
    Matrix firstLayerOutput = network.forwardInput(input, true);
    timer.partDone(Part.FIRST_LAYER);
    Matrix hidden = network.forwardInner(firstLayerOutput, true);
    timer.partDone(Part.INNER_FORWARD);
    double nll = network.outputLayer().forwardLoss(hidden, input, outputProductDone);
    double kl = network.klDivergence();
    timer.partDone(Part.LIKELIHOOD);
    if (!Double.isFinite(nll) || !Double.isFinite(kl)) {
      throw new TrainingDivergedException(
          (Double.isFinite(nll) ? "KL = " + kl : "negative log-likelihood = " + nll) + " at step " + step);
    }
    float beta = network.config().variational() ? (float) anneal.beta(step) : 0f;
    adam.beginStep();
    Matrix gradHidden = network.outputLayer().backwardLoss(outputWeightUpdate);
    timer.partDone(Part.OUTPUT_BACKWARD);
    Matrix gradFirstLayerOutput = network.backwardInner(gradHidden, beta);
    timer.partDone(Part.INNER_BACKWARD);
    network.backwardInput(gradFirstLayerOutput, inputWeightUpdate);
    timer.partDone(Part.FIRST_LAYER_BACKWARD);
    adam.finishStep(List.of(outputWeight, inputWeight));
    timer.partDone(Part.UPDATE);
    return new Losses(nll, kl, beta);
  }

  /**
   * Milliseconds the last step spent updating the output weight, the mean over the threads (each updates its own
   * blocks, side by side with the others): a share of {@link Part#OUTPUT_BACKWARD}, where the update is fused with
   * the products. The update streams the weight and both of Adam's moments (0.3 GB per step at ML-20M's shape), so
   * it is bound by memory bandwidth.
   */
  public double outputWeightUpdateMillis() {
    long total = 0;
    for (int t = 0; t < outputUpdateNanos.length; t += NANOS_STRIDE) {
      total += outputUpdateNanos[t];
    }
    return total / 1e6 / (outputUpdateNanos.length / NANOS_STRIDE);
  }

  /** {@code update}, adding the time of each block to its thread's total. */
  private ColumnBlockUpdate timed(ColumnBlockUpdate update) {
    return (chunk, from, to, gradient, offset, stride) -> {
      long start = System.nanoTime();
      update.apply(chunk, from, to, gradient, offset, stride);
      outputUpdateNanos[chunk * NANOS_STRIDE] += System.nanoTime() - start;
    };
  }

  /** The optimiser. */
  public Adam adam() {
    return adam;
  }

  /**
   * Brings every parameter up to the last step. The optimiser updates rows of the first layer late (exactly, see
   * {@link Adam}); call this before reading or saving all the weights.
   */
  public void synchronize() {
    adam.flush();
  }
}
