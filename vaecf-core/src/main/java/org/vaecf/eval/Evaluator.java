package org.vaecf.eval;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.vaecf.data.CsrMatrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.TopK;

/**
 * Scores held-out users in batches and measures the rankings, following the protocol of Liang et al., "Variational
 * Autoencoders for Collaborative Filtering", WWW 2018, and their notebook {@code VAE_ML20M_WWW2018.ipynb}: each user's
 * fold-in items are given to the model, excluded from the ranking (the notebook sets their scores to {@code -inf}),
 * and the remaining items are ranked against the user's held-out items.
 *
 * <p>Users whose held-out row is empty are skipped (not scored) and counted in
 * {@link EvaluationResult#skippedUsers()}. For each other user the top {@code max k} items are selected once and
 * every metric is computed from that list.
 *
 * <p>Per-user work within a batch is split over {@link Builder#threads(int) threads}. The result does not depend on
 * the thread count or the batch size: per-user values are stored by user, means are summed in user order, and
 * aggregate metrics receive rankings in user order. An evaluator is immutable and may be shared; each
 * {@link #evaluate} call runs its own worker threads and stops them before returning.
 */
public final class Evaluator {
  /** Users scored per {@link BatchScorer} call by default: the notebook's {@code batch_size_vad}. */
  public static final int DEFAULT_BATCH_SIZE = 2000;


  private final List<Metric> metrics;
  private final List<UserMetric> userMetrics;
  private final List<AggregateMetric> aggregateMetrics;
  private final int maxK;
  private final int batchSize;
  private final int threads;

  private Evaluator(Builder builder) {
    this.metrics = List.copyOf(builder.metrics);
    List<UserMetric> perUser = new ArrayList<>();
    List<AggregateMetric> aggregate = new ArrayList<>();
    for (Metric metric : metrics) {
      if (metric instanceof UserMetric userMetric) {
        perUser.add(userMetric);
      } else if (metric instanceof AggregateMetric aggregateMetric) {
        aggregate.add(aggregateMetric);
      } else {
        throw new IllegalArgumentException(
            "metric " + metric.name() + " is neither a UserMetric nor an AggregateMetric");
      }
    }
    this.userMetrics = List.copyOf(perUser);
    this.aggregateMetrics = List.copyOf(aggregate);
    this.maxK = metrics.stream().mapToInt(Metric::k).max().orElseThrow();
    this.batchSize = builder.batchSize;
    this.threads = builder.threads;
  }

  /** A builder for an evaluator of the given metrics, in report order (see {@link MetricParser}). */
  public static Builder builder(List<? extends Metric> metrics) {
    return new Builder(metrics);
  }

  /** The metrics, in report order. */
  public List<Metric> metrics() {
    return metrics;
  }

  /** Users per scorer call. */
  public int batchSize() {
    return batchSize;
  }

  /** Threads sharing the per-user work of a batch. */
  public int threads() {
    return threads;
  }

  /**
   * Evaluates a scorer on held-out users.
   *
   * @param foldIn row {@code u} holds the items given to the model for user {@code u}; they are never ranked
   * @param heldOut row {@code u} holds user {@code u}'s relevant items; must have the shape of {@code foldIn}
   * @throws IllegalArgumentException if the shapes differ or no user has a held-out item
   * @throws IllegalStateException if the scorer returns fewer scores than asked for
   */
  public EvaluationResult evaluate(BatchScorer scorer, CsrMatrix foldIn, CsrMatrix heldOut) {
    Objects.requireNonNull(scorer, "scorer");
    if (foldIn.rows() != heldOut.rows() || foldIn.cols() != heldOut.cols()) {
      throw new IllegalArgumentException(
          "fold-in is " + foldIn.rows() + "x" + foldIn.cols() + " but held-out is " + heldOut.rows() + "x"
              + heldOut.cols());
    }
    int[] userRows = rowsWithHeldOutItems(heldOut);
    int skipped = heldOut.rows() - userRows.length;
    if (userRows.length == 0) {
      throw new IllegalArgumentException(
          "no user has a held-out item; nothing to evaluate (" + skipped + " users skipped)");
    }
    CsrMatrix users = userRows.length == foldIn.rows() ? foldIn : foldIn.selectRows(userRows);
    Run run = new Run(scorer, users, heldOut, userRows);
    int workerCount = Math.min(threads, Math.min(batchSize, userRows.length));
    try (Parallel parallel = new Parallel(workerCount)) {
      run.execute(parallel);
    }
    return run.result(skipped);
  }

  private static int[] rowsWithHeldOutItems(CsrMatrix heldOut) {
    int count = 0;
    for (int r = 0; r < heldOut.rows(); r++) {
      if (heldOut.rowLength(r) > 0) {
        count++;
      }
    }
    int[] rows = new int[count];
    for (int r = 0, j = 0; r < heldOut.rows(); r++) {
      if (heldOut.rowLength(r) > 0) {
        rows[j++] = r;
      }
    }
    return rows;
  }

  /** The state of one {@link #evaluate} call. */
  private final class Run {
    private final BatchScorer scorer;
    private final CsrMatrix users;
    private final CsrMatrix heldOut;
    private final int[] userRows;
    private final int items;
    /** values[m][j]: user metric m for evaluated user j. */
    private final double[][] values;
    private final List<AggregateMetric.Accumulator> accumulators = new ArrayList<>();
    /**
     * Slots per user of a ranking: the largest cut-off, but never more than the items (a ranking holds at most all of
     * them), so that a cut-off far beyond the catalogue costs nothing extra.
     */
    private final int rankingWidth;
    /** Rankings of the current batch, {@link #rankingWidth} slots per user, for the aggregate metrics. */
    private final int[] batchRankings;
    private final int[] batchRankingLengths;

    Run(BatchScorer scorer, CsrMatrix users, CsrMatrix heldOut, int[] userRows) {
      this.scorer = scorer;
      this.users = users;
      this.heldOut = heldOut;
      this.userRows = userRows;
      this.items = users.cols();
      this.values = new double[userMetrics.size()][userRows.length];
      for (AggregateMetric metric : aggregateMetrics) {
        accumulators.add(metric.newAccumulator(items));
      }
      this.rankingWidth = Math.max(1, Math.min(maxK, items));
      int batchUsers = Math.min(batchSize, userRows.length);
      this.batchRankings =
          aggregateMetrics.isEmpty() ? new int[0] : new int[Math.multiplyExact(batchUsers, rankingWidth)];
      this.batchRankingLengths = new int[batchUsers];
    }

    void execute(Parallel parallel) {
      int[] batchRows = new int[Math.min(batchSize, userRows.length)];
      for (int first = 0; first < userRows.length; first += batchSize) {
        int count = Math.min(batchSize, userRows.length - first);
        if (count != batchRows.length) {
          batchRows = new int[count];
        }
        for (int j = 0; j < count; j++) {
          batchRows[j] = first + j;
        }
        CsrMatrix batch = users.selectRows(batchRows);
        FloatBuffer scores = checkedScores(scorer.score(batch), count);
        int firstUser = first;
        parallel.forRange(count, 1, (from, to) -> new Worker().rankUsers(batch, scores, firstUser, from, to));
        feedAggregates(count);
      }
    }

    private FloatBuffer checkedScores(FloatBuffer scores, int rows) {
      if (scores == null) {
        throw new IllegalStateException("the scorer returned no buffer for a batch of " + rows + " users");
      }
      long needed = (long) rows * items;
      if (scores.remaining() < needed) {
        throw new IllegalStateException(
            "the scorer returned " + scores.remaining() + " scores for a batch of " + rows + " users x " + items
                + " items (" + needed + " needed)");
      }
      return scores;
    }

    private void feedAggregates(int count) {
      for (AggregateMetric.Accumulator accumulator : accumulators) {
        for (int j = 0; j < count; j++) {
          accumulator.add(batchRankings, j * rankingWidth, batchRankingLengths[j]);
        }
      }
    }

    EvaluationResult result(int skipped) {
      Map<String, double[]> perUser = new LinkedHashMap<>();
      for (int m = 0; m < userMetrics.size(); m++) {
        perUser.put(userMetrics.get(m).name(), values[m]);
      }
      Map<String, Double> aggregates = new LinkedHashMap<>();
      for (int a = 0; a < aggregateMetrics.size(); a++) {
        aggregates.put(aggregateMetrics.get(a).name(), accumulators.get(a).value());
      }
      return new EvaluationResult(metrics, perUser, aggregates, userRows, skipped);
    }

    /** Scratch of one slice of a batch: its top-k selector, ranking and hit pattern. */
    private final class Worker {
      private final TopK topK = new TopK(rankingWidth);
      private final int[] ranking = new int[rankingWidth];
      private final boolean[] hits = new boolean[ranking.length];

      /** Ranks and measures batch rows {@code [from, to)}; batch row {@code j} is evaluated user {@code first + j}. */
      void rankUsers(CsrMatrix batch, FloatBuffer scores, int first, int from, int to) {
        int base = scores.position();
        int[] foldInItems = batch.colIndexes();
        for (int j = from; j < to; j++) {
          int length = topK.select(
              scores, base + j * items, items, foldInItems, batch.rowStart(j), batch.rowEnd(j), ranking);
          int user = first + j;
          int row = userRows[user];
          for (int r = 0; r < length; r++) {
            hits[r] = heldOut.contains(row, ranking[r]);
          }
          int relevant = heldOut.rowLength(row);
          for (int m = 0; m < userMetrics.size(); m++) {
            values[m][user] = userMetrics.get(m).value(hits, length, relevant);
          }
          if (batchRankings.length > 0) {
            System.arraycopy(ranking, 0, batchRankings, j * rankingWidth, length);
            batchRankingLengths[j] = length;
          }
        }
      }
    }
  }

  /** Configures an {@link Evaluator}; defaults: batch size {@value #DEFAULT_BATCH_SIZE}, one thread per core. */
  public static final class Builder {
    private final List<Metric> metrics;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int threads = Runtime.getRuntime().availableProcessors();

    private Builder(List<? extends Metric> metrics) {
      this.metrics = List.copyOf(metrics);
      if (this.metrics.isEmpty()) {
        throw new IllegalArgumentException("metrics must not be empty");
      }
      Set<String> names = new HashSet<>();
      for (Metric metric : this.metrics) {
        if (!names.add(metric.name())) {
          throw new IllegalArgumentException("metric " + metric.name() + " is given twice");
        }
      }
    }

    /** Users per {@link BatchScorer} call; bounds the size of the score block ({@code batchSize × items}). */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Threads that share each batch's top-k selection and metrics; results do not depend on it. */
    public Builder threads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("threads must be > 0, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    public Evaluator build() {
      return new Evaluator(this);
    }
  }
}
