package org.vaecf.train;

import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.nn.MultinomialLikelihood;
import org.vaecf.nn.SparseBatch;

/**
 * One optimiser step on one batch of users: load the rows (L2-normalised), forward in training mode, the multinomial
 * loss and its gradient, backward with the KL weight of this step, Adam. Owns the step's buffers, which are reused, so
 * the steady state allocates nothing large. The parts are reported to a {@link StepTimer} so benchmarks can time them.
 */
public final class TrainingStep {
  /** The parts of a step, in order. */
  public enum Part {
    INPUT,
    FORWARD,
    LOSS,
    BACKWARD,
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
  private final MultinomialLikelihood likelihood;
  private final SparseBatch input;

  /**
   * @param network the network to train (its batch capacity bounds the batch size)
   * @param config learning rate and λ
   * @param anneal the KL schedule (ignored for Mult-DAE)
   * @param parallel threads for the loops
   */
  public TrainingStep(Autoencoder network, TrainConfig config, AnnealSchedule anneal, Parallel parallel) {
    this.network = network;
    this.adam = new Adam(network.parameters(), config.adam(), config.l2(), parallel);
    this.anneal = anneal;
    this.likelihood = new MultinomialLikelihood(parallel);
    this.input = new SparseBatch(network.maxBatch());
  }

  /**
   * Trains on users {@code order[from..to)} of {@code data} as optimiser step {@code step} (0-based; it keys the noise
   * and the KL weight).
   *
   * @throws TrainingDivergedException if the loss is not finite
   */
  public Losses run(CsrMatrix data, int[] order, int from, int to, long step, StepTimer timer) {
    network.setStep(step);
    input.loadNormalized(data, order, from, to);
    timer.partDone(Part.INPUT);
    Matrix logits = network.forward(input, true);
    timer.partDone(Part.FORWARD);
    double nll = likelihood.lossAndGradient(logits, input, logits);
    double kl = network.klDivergence();
    timer.partDone(Part.LOSS);
    if (!Double.isFinite(nll) || !Double.isFinite(kl)) {
      throw new TrainingDivergedException(
          (Double.isFinite(nll) ? "KL = " + kl : "negative log-likelihood = " + nll) + " at step " + step);
    }
    float beta = network.config().variational() ? (float) anneal.beta(step) : 0f;
    network.backward(logits, beta);
    timer.partDone(Part.BACKWARD);
    adam.step();
    timer.partDone(Part.UPDATE);
    return new Losses(nll, kl, beta);
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
