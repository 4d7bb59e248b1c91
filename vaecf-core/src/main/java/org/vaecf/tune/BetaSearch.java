package org.vaecf.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;
import org.vaecf.data.split.PreparedData;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.AnnealSchedule;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;
import org.vaecf.train.TrainingListener;

/**
 * The β search of Liang et al., "Variational Autoencoders for Collaborative Filtering" (WWW 2018, §2.2.2, Figure 2):
 * train Mult-VAE with β annealed linearly all the way to 1, take the β in force at the epoch with the best validation
 * metric, and train again with β annealed at the same rate but capped at that value. Optionally, for the comparison
 * the paper's figure draws, train once per β of a grid with β held constant (β = 0 only at the very first step).
 */
public final class BetaSearch {
  /** One training run of the search. */
  public record Run(String name, double cap, TrainedModel model) {
    /** The validation metric against the β in force at the end of each epoch (epochs without validation dropped). */
    public List<Point> curve() {
      List<Point> points = new ArrayList<>();
      for (EpochRecord epoch : model.training().history()) {
        if (Double.isFinite(epoch.validation())) {
          points.add(new Point(epoch.epoch(), epoch.beta(), epoch.validation()));
        }
      }
      return points;
    }

    /** The best validation value of the run. */
    public double bestValidation() {
      return model.training().bestValidation();
    }
  }

  /** An epoch's β and validation metric. */
  public record Point(int epoch, double beta, double validation) {}

  /**
   * The outcome.
   *
   * @param annealing the run with β annealed to 1
   * @param chosenBeta the β at the annealing run's best epoch
   * @param peakAtEnd whether that best epoch was the last one: the metric may still have been rising, so a longer
   *     run might choose a larger β
   * @param retrained the run with β capped at {@code chosenBeta}
   * @param constant the runs with constant β, in grid order (empty without a grid)
   */
  public record Result(Run annealing, double chosenBeta, boolean peakAtEnd, Run retrained, List<Run> constant) {}

  private final ModelConfig modelConfig;
  private final TrainConfig base;
  private final Function<String, TrainingListener> listeners;

  /**
   * @param modelConfig the architecture; must be Mult-VAE (Mult-DAE has no β)
   * @param base the training settings; its anneal cap is replaced by each run's, its total anneal steps (or auto)
   *     set the rate of the annealing run
   * @param listeners a progress listener for each run, by run name ({@code anneal}, {@code retrained},
   *     {@code beta=0.2}, …)
   */
  public BetaSearch(ModelConfig modelConfig, TrainConfig base, Function<String, TrainingListener> listeners) {
    if (modelConfig.type() != ModelType.MULT_VAE) {
      throw new IllegalArgumentException("the β search needs mult-vae; " + modelConfig.type() + " has no KL term");
    }
    this.modelConfig = modelConfig;
    this.base = Objects.requireNonNull(base, "base");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
  }

  /**
   * Runs the search on {@code data}; {@code grid} lists constant β values to train as well (may be empty).
   *
   * @throws IllegalArgumentException if a grid value is negative, or the data have no validation users
   */
  public Result run(PreparedData data, List<Double> grid) {
    for (double beta : grid) {
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException("every β of the grid must be >= 0, got " + beta);
      }
    }
    if (data.validation().heldOut().nnz() == 0) {
      throw new IllegalArgumentException("the β search needs validation users with held-out items; there are none");
    }
    int users = data.train().rows();
    int batchSize = Math.min(base.batchSize(), Math.max(1, users)); // as the trainer does
    int batches = (users + batchSize - 1) / batchSize;
    AnnealSchedule toOne = withCap(base, 1.0).annealSchedule((long) batches * base.epochs());
    TrainConfig annealConfig = copy(base, 1.0, OptionalLong.of(Math.round(toOne.totalSteps())));
    Run annealing = train("anneal", 1.0, annealConfig, data);
    int bestEpoch = annealing.model().training().bestEpoch();
    double chosen = annealing.model().training().history().get(bestEpoch - 1).beta();
    boolean atEnd = bestEpoch == annealing.model().training().history().size();
    // the same rate as the annealing run, stopping at the chosen β: the notebook keeps total_anneal_steps and
    // changes only anneal_cap
    Run retrained = train("retrained", chosen, copy(annealConfig, chosen, annealConfig.totalAnnealSteps()), data);
    List<Run> constant = new ArrayList<>();
    for (double beta : grid) {
      // β = min(cap, step / 1): 0 at the first step, the cap from the second on
      constant.add(train("beta=" + beta, beta, copy(base, beta, OptionalLong.of(1)), data));
    }
    return new Result(annealing, chosen, atEnd, retrained, constant);
  }

  private Run train(String name, double cap, TrainConfig config, PreparedData data) {
    TrainedModel model = new Trainer(modelConfig, config).addListener(listeners.apply(name)).train(data);
    return new Run(name, cap, model);
  }

  private static TrainConfig withCap(TrainConfig config, double cap) {
    return copy(config, cap, config.totalAnnealSteps());
  }

  private static TrainConfig copy(TrainConfig config, double cap, OptionalLong totalAnnealSteps) {
    return new TrainConfig(
        config.epochs(), config.batchSize(), config.adam(), config.l2(), cap, totalAnnealSteps, config.seed(),
        config.threads(), config.validationMetric());
  }
}
