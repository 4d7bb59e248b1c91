package org.vaecf.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a model was trained: its provenance, the best epoch and the per-epoch history.
 *
 * @param seed seed of initialisation, shuffling and training noise
 * @param threads threads used (results are reproducible for the same seed and thread count)
 * @param settings the training settings, by name, as written to {@code model.json}
 * @param dataStats statistics of the prepared data the model was trained on
 * @param validationMetric name of the metric that chose the best epoch, e.g. {@code ndcg@100}
 * @param bestEpoch 1-based epoch whose weights the model holds
 * @param bestValidation the validation metric at {@code bestEpoch} (NaN without validation users)
 * @param history one record per epoch
 * @param createdAt ISO-8601 instant at which training finished
 * @param version version of vaecf that trained the model
 */
public record TrainingRecord(
    long seed,
    int threads,
    Map<String, Object> settings,
    Map<String, Object> dataStats,
    String validationMetric,
    int bestEpoch,
    double bestValidation,
    List<EpochRecord> history,
    String createdAt,
    String version) {
  public TrainingRecord {
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    dataStats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dataStats));
    history = List.copyOf(history);
    Objects.requireNonNull(validationMetric, "validationMetric");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(version, "version");
  }

  /** A copy whose data statistics also hold {@code key → value} (e.g. where the prepared data lives). */
  public TrainingRecord withDataStat(String key, Object value) {
    Map<String, Object> stats = new LinkedHashMap<>(dataStats);
    stats.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new TrainingRecord(
        seed, threads, settings, stats, validationMetric, bestEpoch, bestValidation, history, createdAt, version);
  }
}
