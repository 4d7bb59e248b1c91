package org.vaecf.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import scala.runtime.AbstractFunction1;

/**
 * A constraint on a parameter value that can both validate (Spark calls it on every {@code set}, whatever path the
 * value takes: a setter, a {@code ParamMap}, a loaded pipeline) and explain itself, so a setter can fail with the
 * parameter's name, the constraint and the value: {@code "epochs must be >= 1, got 0"}.
 *
 * @param <T> the parameter's value type as Spark stores it (boxed numbers, arrays, strings)
 */
final class Rule<T> extends AbstractFunction1<T, Object> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A serializable test, since params travel with the stage that owns them. */
  interface Test<T> extends Serializable {
    boolean accepts(T value);
  }

  private final String requirement;
  private final Test<T> test;

  private Rule(String requirement, Test<T> test) {
    this.requirement = requirement;
    this.test = test;
  }

  /** Whole numbers of at least {@code min}. */
  static <T> Rule<T> atLeast(long min) {
    return new Rule<>(">= " + min, value -> ((Number) value).longValue() >= min);
  }

  /** Whole numbers in {@code [min, max]}. */
  static <T> Rule<T> between(long min, long max) {
    return new Rule<>("between " + min + " and " + max,
        value -> ((Number) value).longValue() >= min && ((Number) value).longValue() <= max);
  }

  /** Finite numbers above {@code bound}. */
  static <T> Rule<T> above(double bound) {
    return new Rule<>("> " + bound + " and finite", value -> {
      double v = ((Number) value).doubleValue();
      return Double.isFinite(v) && v > bound;
    });
  }

  /** Finite numbers of at least {@code bound}. */
  static <T> Rule<T> notBelow(double bound) {
    return new Rule<>(">= " + bound + " and finite", value -> {
      double v = ((Number) value).doubleValue();
      return Double.isFinite(v) && v >= bound;
    });
  }

  /** Numbers in {@code [low, high)}. */
  static <T> Rule<T> halfOpen(double low, double high) {
    return new Rule<>("in [" + low + ", " + high + ")", value -> {
      double v = ((Number) value).doubleValue();
      return v >= low && v < high;
    });
  }

  /** Any finite number. */
  static <T> Rule<T> finite() {
    return new Rule<>("finite", value -> Double.isFinite(((Number) value).doubleValue()));
  }

  /** Arrays of widths, each at least 1 (an empty array is allowed: no hidden layer). */
  static Rule<int[]> widths() {
    return new Rule<>("a list of widths >= 1", value -> Arrays.stream(value).allMatch(w -> w >= 1));
  }

  /** Non-empty column names. */
  static Rule<String> columnName() {
    return new Rule<>("a non-empty column name", value -> value != null && !value.isBlank());
  }

  /** Column names, or the empty string for "no such column". */
  static Rule<String> optionalColumnName() {
    return new Rule<>("a column name, or \"\" for none", value -> value != null);
  }

  /** One of {@code names}, compared without regard to case. */
  static Rule<String> oneOf(List<String> names) {
    List<String> allowed = List.copyOf(names);
    return new Rule<>("one of " + allowed,
        value -> value != null && allowed.contains(value.toLowerCase(Locale.ROOT)));
  }

  @Override
  public Object apply(T value) {
    return test.accepts(value);
  }

  /** Returns {@code value}, or fails naming {@code name}, the constraint and the value. */
  T check(String name, T value) {
    if (!test.accepts(value)) {
      throw new IllegalArgumentException(name + " must be " + requirement + ", got " + show(value));
    }
    return value;
  }

  /** The constraint in words, e.g. {@code ">= 1"}. */
  String requirement() {
    return requirement;
  }

  private static String show(Object value) {
    if (value instanceof int[] array) {
      return Arrays.toString(array);
    }
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
