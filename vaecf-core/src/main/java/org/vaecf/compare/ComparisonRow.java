package org.vaecf.compare;

import java.util.Map;
import org.vaecf.eval.EvaluationResult;

/**
 * One contender's outcome.
 *
 * @param contender which recommender
 * @param test its metrics on the test users (means, standard errors, per-user values)
 * @param seconds wall-clock seconds of fitting and validation-based selection (not of the test evaluation)
 * @param choices what validation chose, by name: {@code bestEpoch} and {@code validation} for the autoencoders,
 *     {@code lambda} and {@code validation} for EASE; empty for popularity
 */
public record ComparisonRow(Contender contender, EvaluationResult test, double seconds, Map<String, Object> choices) {
  public ComparisonRow {
    choices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(choices));
  }
}
