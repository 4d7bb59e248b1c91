package org.vaecf.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@link MultVaeModel} returns for a user about whom the model knows nothing: a history that is missing, empty,
 * or made only of items the model was not trained on. This plays the part of ALS's {@code coldStartStrategy}: ALS
 * gives NaN predictions for unknown users and items ({@code "nan"}) or drops those rows ({@code "drop"}); here a row
 * holds a list of recommendations instead of one predicted rating, so the choices are:
 *
 * <ul>
 *   <li>{@link #EMPTY} ({@code "empty"}, the default) — keep the row with an empty recommendation list, the
 *       analogue of ALS's NaN: the row is still there, and visibly has no answer;
 *   <li>{@link #DROP} ({@code "drop"}) — leave the row out of the result, as ALS does with {@code "drop"};
 *   <li>{@link #GENERIC} ({@code "generic"}) — fold in the empty history: the encoder sees the zero vector, so every
 *       such user gets the same list, the model's ranking for someone it knows nothing about (close to item
 *       popularity among the training users). This is what {@code infer.Recommender} does for an empty history.
 * </ul>
 *
 * Items of a history that the model does not know are ignored in every case; only a history with no known item at
 * all is a cold start. Users that {@link MultVaeModel#recommendForUserSubset} is asked about but that were not in
 * the data the model was fitted on have no history, so they are cold starts too.
 */
public enum ColdStartStrategy {
  /** Keep the row, with an empty list. */
  EMPTY("empty"),
  /** Drop the row. */
  DROP("drop"),
  /** Recommend from the empty history (one list shared by every cold user). */
  GENERIC("generic");

  private final String paramValue;

  ColdStartStrategy(String paramValue) {
    this.paramValue = paramValue;
  }

  /** The value of the {@code coldStartStrategy} param that selects this strategy. */
  public String paramValue() {
    return paramValue;
  }

  /** All param values, in declaration order. */
  public static List<String> paramValues() {
    return Arrays.stream(values()).map(ColdStartStrategy::paramValue).toList();
  }

  /**
   * The strategy named {@code value} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static ColdStartStrategy fromParam(String value) {
    for (ColdStartStrategy strategy : values()) {
      if (strategy.paramValue.equals(value.toLowerCase(Locale.ROOT))) {
        return strategy;
      }
    }
    throw new IllegalArgumentException(
        "coldStartStrategy must be one of " + paramValues() + ", got \"" + value + "\"");
  }
}
