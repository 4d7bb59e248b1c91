package org.vaecf.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Reads metric names as written on the command line and in reports: a family and a cutoff joined by {@code @}, for
 * example {@code ndcg@100}, {@code recall@20}, {@code precision@10}, {@code hitrate@10}, {@code mrr@100},
 * {@code map@100}, {@code coverage@100}. Names are case-insensitive; {@link Metric#name()} gives them back in lower
 * case.
 */
public final class MetricParser {
  private MetricParser() {}

  /** The metric families, by the prefix their names use. */
  private enum Family {
    NDCG("ndcg", Ndcg::new),
    RECALL("recall", Recall::new),
    PRECISION("precision", Precision::new),
    HITRATE("hitrate", HitRate::new),
    MRR("mrr", Mrr::new),
    MAP("map", MeanAveragePrecision::new),
    COVERAGE("coverage", CatalogueCoverage::new);

    final String prefix;
    final IntFunction<Metric> factory;

    Family(String prefix, IntFunction<Metric> factory) {
      this.prefix = prefix;
      this.factory = factory;
    }
  }

  /**
   * The metric named {@code name}, such as {@code ndcg@100}.
   *
   * @throws IllegalArgumentException naming the input and listing the valid names when it is not one of them
   */
  public static Metric parse(String name) {
    String trimmed = name.trim();
    int at = trimmed.indexOf('@');
    if (at < 0) {
      throw invalid(name, "it has no '@k' cutoff");
    }
    String prefix = trimmed.substring(0, at).toLowerCase(Locale.ROOT);
    Family family = Arrays.stream(Family.values())
        .filter(f -> f.prefix.equals(prefix))
        .findFirst()
        .orElseThrow(() -> invalid(name, "'" + prefix + "' is not a metric"));
    int k;
    try {
      k = Integer.parseInt(trimmed.substring(at + 1));
    } catch (NumberFormatException e) {
      throw invalid(name, "the cutoff after '@' must be a positive integer");
    }
    if (k <= 0) {
      throw invalid(name, "the cutoff after '@' must be a positive integer");
    }
    return family.factory.apply(k);
  }

  /**
   * The metrics of a comma-separated list such as {@code ndcg@100,recall@20,recall@50}, in order.
   *
   * @throws IllegalArgumentException for a bad name (as {@link #parse}) or a name given twice
   */
  public static List<Metric> parseList(String names) {
    List<Metric> metrics = new ArrayList<>();
    for (String part : names.split(",", -1)) {
      Metric metric = parse(part);
      if (metrics.contains(metric)) {
        throw new IllegalArgumentException("metric " + metric.name() + " is listed twice in '" + names + "'");
      }
      metrics.add(metric);
    }
    return List.copyOf(metrics);
  }

  /** The accepted name patterns, for help texts: {@code ndcg@K, recall@K, …}. */
  public static String validNames() {
    return Arrays.stream(Family.values()).map(f -> f.prefix + "@K").collect(Collectors.joining(", "));
  }

  private static IllegalArgumentException invalid(String name, String why) {
    return new IllegalArgumentException(
        "unknown metric '" + name + "': " + why + "; valid names are " + validNames()
            + " with K a positive integer, e.g. ndcg@100");
  }
}
