package org.vaecf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;

/**
 * Compares the {@link Evaluator} with values computed independently by NumPy.
 *
 * <p>The fixture {@code eval/metric_fixtures.json} is written by {@code eval/make_metric_fixtures.py} (beside it in
 * the test resources): 50 users × 300 items of continuous float32 scores, random disjoint fold-in and held-out sets,
 * and per-user NDCG@k and Recall@k for k = 5, 20, 100 computed by re-implementations of the authors' notebook
 * functions {@code NDCG_binary_at_k_batch} and {@code Recall_at_k_batch} (fold-in items set to {@code -inf},
 * argpartition then argsort). Precision, hit rate, MRR, MAP and coverage come from the same script's plain NumPy
 * versions of this package's definitions. Means and standard errors are NumPy's {@code np.mean(x)} and
 * {@code np.std(x) / np.sqrt(len(x))}.
 */
class NotebookMetricsFixtureTest {
  private static final double TOLERANCE = 1e-6;

  private static JsonNode fixture;
  private static CsrMatrix foldIn;
  private static CsrMatrix heldOut;
  private static float[][] scores;

  @BeforeAll
  static void readFixture() throws IOException {
    try (InputStream in = NotebookMetricsFixtureTest.class.getResourceAsStream("/eval/metric_fixtures.json")) {
      assertThat(in).as("eval/metric_fixtures.json on the test class path").isNotNull();
      fixture = new ObjectMapper().readTree(in);
    }
    int items = fixture.get("items").asInt();
    foldIn = matrix(fixture.get("fold_in"), items);
    heldOut = matrix(fixture.get("held_out"), items);
    JsonNode rows = fixture.get("scores");
    scores = new float[rows.size()][items];
    for (int u = 0; u < rows.size(); u++) {
      for (int i = 0; i < items; i++) {
        scores[u][i] = (float) rows.get(u).get(i).doubleValue();
      }
    }
  }

  private static CsrMatrix matrix(JsonNode rows, int items) {
    CsrMatrix.Builder builder = new CsrMatrix.Builder(items);
    for (JsonNode row : rows) {
      int[] columns = new int[row.size()];
      for (int j = 0; j < columns.length; j++) {
        columns[j] = row.get(j).asInt();
      }
      builder.addRow(columns);
    }
    return builder.build();
  }

  /**
   * Hands out the fixture's scores for consecutive batches, as the engine would: copied into a direct buffer. The
   * fixture gives every user a held-out item, so the evaluator scores every row in order.
   */
  private static final class FixtureScorer implements BatchScorer {
    private final FloatBuffer block;
    private int nextUser;

    FixtureScorer(int maxRows, int items) {
      block = ByteBuffer.allocateDirect(maxRows * items * Float.BYTES).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }

    @Override
    public FloatBuffer score(CsrMatrix foldInRows) {
      block.clear();
      for (int r = 0; r < foldInRows.rows(); r++) {
        assertThat(foldInRows.row(r)).isEqualTo(foldIn.row(nextUser)); // the evaluator sends users in order
        block.put(scores[nextUser++]);
      }
      block.flip();
      return block;
    }
  }

  private static List<Metric> allFixtureMetrics() {
    List<Metric> metrics = new ArrayList<>();
    for (JsonNode k : fixture.get("ks")) {
      for (String family : List.of("ndcg", "recall", "precision", "hitrate", "mrr", "map", "coverage")) {
        metrics.add(MetricParser.parse(family + "@" + k.asInt()));
      }
    }
    return metrics;
  }

  @Test
  void matchesNumPyPerUserValuesAndMeans() {
    int batchSize = 16; // four batches, the last one partial
    Evaluator evaluator = Evaluator.builder(allFixtureMetrics()).batchSize(batchSize).threads(2).build();
    FixtureScorer scorer = new FixtureScorer(batchSize, foldIn.cols());

    EvaluationResult result = evaluator.evaluate(scorer, foldIn, heldOut);

    int users = fixture.get("users").asInt();
    assertThat(scorer.nextUser).isEqualTo(users);
    assertThat(result.users()).isEqualTo(users);
    assertThat(result.skippedUsers()).isZero();
    JsonNode expected = fixture.get("metrics");
    JsonNode summary = fixture.get("summary");
    int compared = 0;
    for (Map.Entry<String, JsonNode> entry : expected.properties()) {
      String name = entry.getKey();
      if (entry.getValue().isArray()) {
        double[] actual = result.perUserValues(name);
        assertThat(actual).hasSize(users);
        for (int u = 0; u < users; u++) {
          assertThat(actual[u]).as("%s of user %d", name, u)
              .isCloseTo(entry.getValue().get(u).doubleValue(), within(TOLERANCE));
        }
        assertThat(result.value(name)).as("mean %s", name)
            .isCloseTo(summary.get(name).get("mean").doubleValue(), within(TOLERANCE));
        assertThat(result.standardError(name)).as("standard error of %s", name)
            .hasValueCloseTo(summary.get(name).get("stderr").doubleValue(), within(TOLERANCE));
      } else {
        assertThat(result.value(name)).as(name).isCloseTo(entry.getValue().doubleValue(), within(TOLERANCE));
        assertThat(result.standardError(name)).isEmpty();
      }
      compared++;
    }
    assertThat(compared).isEqualTo(7 * 3);
  }

  @Test
  void fixtureExercisesTheInterestingCases() {
    // guards the fixture itself: |relevant| below and above every k, misses and hits at every k
    int smallest = Integer.MAX_VALUE;
    int largest = 0;
    for (int u = 0; u < heldOut.rows(); u++) {
      smallest = Math.min(smallest, heldOut.rowLength(u));
      largest = Math.max(largest, heldOut.rowLength(u));
    }
    assertThat(smallest).isLessThan(5);
    assertThat(largest).isGreaterThan(100);
    for (JsonNode k : fixture.get("ks")) {
      JsonNode recall = fixture.get("metrics").get("recall@" + k.asInt());
      boolean someZero = false;
      boolean someBetween = false;
      for (JsonNode v : recall) {
        someZero |= v.doubleValue() == 0.0;
        someBetween |= v.doubleValue() > 0.0 && v.doubleValue() < 1.0;
      }
      assertThat(someBetween).as("partial recall at k=%d", k.asInt()).isTrue();
      if (k.asInt() < 100) {
        assertThat(someZero).as("a user without hits at k=%d", k.asInt()).isTrue();
      }
    }
  }
}
