package org.vaecf.baseline;

import java.util.List;

/**
 * A fitted EASE model: the item × item weight matrix {@code B} (zero diagonal) for the chosen λ, and the validation
 * value of every λ tried. A user's scores are {@code x·B} for the user's binary item vector {@code x}. Immutable.
 */
public final class EaseModel {
  /** One λ of the grid and its validation metric (NaN when there were no validation users). */
  public record Trial(double lambda, double validation) {}

  private final int items;
  private final double lambda;
  private final float[] weights;
  private final List<Trial> trials;

  EaseModel(int items, double lambda, float[] weights, List<Trial> trials) {
    if (weights.length != items * items) {
      throw new IllegalArgumentException("weights must hold items x items values");
    }
    this.items = items;
    this.lambda = lambda;
    this.weights = weights;
    this.trials = List.copyOf(trials);
  }

  /** Number of items (rows and columns of {@code B}). */
  public int items() {
    return items;
  }

  /** The λ whose weights this model holds. */
  public double lambda() {
    return lambda;
  }

  /** {@code B[from][to]}: how much having item {@code from} raises the score of item {@code to}. */
  public float weight(int from, int to) {
    return weights[from * items + to];
  }

  /** Every λ tried, in grid order, with its validation metric. */
  public List<Trial> trials() {
    return trials;
  }

  /** A new scorer over this model (each scorer owns its output buffer, so use one per thread). */
  public EaseScorer scorer() {
    return new EaseScorer(items, weights);
  }
}
