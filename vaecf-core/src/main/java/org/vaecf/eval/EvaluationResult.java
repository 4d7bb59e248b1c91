package org.vaecf.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;

/**
 * The outcome of one {@link Evaluator} run: for each metric (keyed by {@link Metric#name()}, e.g. {@code ndcg@100})
 * its value and, for per-user metrics, the standard error of the mean and the per-user values; how many users were
 * evaluated and how many were skipped for having no held-out items. Immutable.
 *
 * <p>The standard error is {@code std / sqrt(n)} with the population standard deviation ({@code ddof = 0}), which is
 * what the authors' notebook prints ({@code np.std(x) / np.sqrt(len(x))}).
 *
 * <p>Per-user values are in the order of {@link #userRows()}, the held-out matrix rows that were evaluated, so two
 * results over the same data can be compared user by user (paired tests).
 */
public final class EvaluationResult {
  private final List<String> names;
  private final Map<String, Double> values;
  private final Map<String, Double> standardErrors;
  private final Map<String, double[]> perUser;
  private final int[] userRows;
  private final int skippedUsers;

  /**
   * @param metrics every metric, in report order
   * @param perUserValues per-user values of each {@link UserMetric}, in user order, owned by the result from now on
   * @param aggregateValues the value of each {@link AggregateMetric}
   */
  EvaluationResult(
      List<Metric> metrics,
      Map<String, double[]> perUserValues,
      Map<String, Double> aggregateValues,
      int[] userRows,
      int skippedUsers) {
    Map<String, Double> valueMap = new LinkedHashMap<>();
    Map<String, Double> errorMap = new LinkedHashMap<>();
    for (Metric metric : metrics) {
      String name = metric.name();
      double[] userValues = perUserValues.get(name);
      if (userValues != null) {
        double mean = mean(userValues);
        valueMap.put(name, mean);
        errorMap.put(name, standardError(userValues, mean));
      } else {
        valueMap.put(name, aggregateValues.get(name));
      }
    }
    this.names = metrics.stream().map(Metric::name).toList();
    this.values = Collections.unmodifiableMap(valueMap);
    this.standardErrors = Collections.unmodifiableMap(errorMap);
    this.perUser = Map.copyOf(perUserValues);
    this.userRows = userRows;
    this.skippedUsers = skippedUsers;
  }

  /** Metric names in the order the metrics were given. */
  public List<String> metricNames() {
    return names;
  }

  /**
   * The metric's value: the mean over evaluated users for a per-user metric, the aggregate value otherwise.
   *
   * @throws NoSuchElementException naming the metric and the available ones when it was not evaluated
   */
  public double value(String name) {
    return values.get(requireKnown(name));
  }

  /** Every metric's value by name, in metric order (unmodifiable); ready to be written as JSON. */
  public Map<String, Double> values() {
    return values;
  }

  /**
   * The standard error of a per-user metric's mean ({@code std / sqrt(n)}, {@code ddof = 0}), or empty for an
   * aggregate metric.
   *
   * @throws NoSuchElementException when the metric was not evaluated
   */
  public OptionalDouble standardError(String name) {
    Double error = standardErrors.get(requireKnown(name));
    return error == null ? OptionalDouble.empty() : OptionalDouble.of(error);
  }

  /**
   * A copy of a per-user metric's values, one per evaluated user in the order of {@link #userRows()}.
   *
   * @throws NoSuchElementException when the metric was not evaluated
   * @throws IllegalArgumentException when it is an aggregate metric, which has no per-user values
   */
  public double[] perUserValues(String name) {
    double[] userValues = perUser.get(requireKnown(name));
    if (userValues == null) {
      throw new IllegalArgumentException(name + " is an aggregate metric and has no per-user values");
    }
    return userValues.clone();
  }

  /** Number of users evaluated (users with at least one held-out item). */
  public int users() {
    return userRows.length;
  }

  /** Number of users skipped because their held-out row was empty. */
  public int skippedUsers() {
    return skippedUsers;
  }

  /** A copy of the held-out matrix rows that were evaluated, increasing; entry {@code j} is user {@code j}. */
  public int[] userRows() {
    return userRows.clone();
  }

  private String requireKnown(String name) {
    if (!values.containsKey(name)) {
      throw new NoSuchElementException("metric '" + name + "' was not evaluated; evaluated: " + names);
    }
    return name;
  }

  private static double mean(double[] xs) {
    double sum = 0.0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.length;
  }

  private static double standardError(double[] xs, double mean) {
    double squares = 0.0;
    for (double x : xs) {
      double d = x - mean;
      squares += d * d;
    }
    double variance = squares / xs.length;
    return Math.sqrt(variance) / Math.sqrt(xs.length);
  }

  /** One line for logs, e.g. {@code ndcg@100=0.4257±0.0021 coverage@100=0.3120 users=10000 skipped=0}. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder();
    for (String name : names) {
      line.append(name).append('=').append(String.format(Locale.ROOT, "%.4f", values.get(name)));
      Double error = standardErrors.get(name);
      if (error != null) {
        line.append('±').append(String.format(Locale.ROOT, "%.4f", error));
      }
      line.append(' ');
    }
    return line.append("users=").append(users()).append(" skipped=").append(skippedUsers).toString();
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof EvaluationResult that)) {
      return false;
    }
    if (!names.equals(that.names) || !values.equals(that.values) || skippedUsers != that.skippedUsers
        || !Arrays.equals(userRows, that.userRows)) {
      return false;
    }
    for (Map.Entry<String, double[]> entry : perUser.entrySet()) {
      if (!Arrays.equals(entry.getValue(), that.perUser.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return 31 * values.hashCode() + Arrays.hashCode(userRows);
  }
}
