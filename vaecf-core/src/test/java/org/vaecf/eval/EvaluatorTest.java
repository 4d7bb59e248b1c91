package org.vaecf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;

class EvaluatorTest {
  private static final List<Metric> METRICS = MetricParser.parseList(
      "ndcg@10,recall@5,recall@20,precision@10,hitrate@3,mrr@10,map@10,coverage@10");

  /**
   * Scores that depend only on a row's fold-in items (an item-to-item similarity summed over them, plus an item bias),
   * so a user gets the same scores whichever batch it lands in. Written into a direct buffer whose block starts at a
   * non-zero position, which the evaluator must respect. Coarse values make ties common.
   */
  static final class ItemSimilarityScorer implements BatchScorer {
    private static final int LEAD = 3;
    private final float[][] similarity;
    private final float[] bias;
    private FloatBuffer block = FloatBuffer.allocate(0);
    int rowsScored;
    int calls;

    ItemSimilarityScorer(int items, long seed) {
      Random random = new Random(seed);
      similarity = new float[items][items];
      bias = new float[items];
      for (int i = 0; i < items; i++) {
        bias[i] = random.nextInt(5);
        for (int j = 0; j < items; j++) {
          similarity[i][j] = random.nextInt(4);
        }
      }
    }

    @Override
    public FloatBuffer score(CsrMatrix foldInRows) {
      int items = bias.length;
      int needed = LEAD + foldInRows.rows() * items;
      if (block.capacity() < needed) {
        block = ByteBuffer.allocateDirect(needed * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      }
      block.clear();
      block.position(LEAD);
      for (int r = 0; r < foldInRows.rows(); r++) {
        float[] row = bias.clone();
        for (int p = foldInRows.rowStart(r); p < foldInRows.rowEnd(r); p++) {
          float[] similar = similarity[foldInRows.colIndexes()[p]];
          for (int i = 0; i < items; i++) {
            row[i] += similar[i];
          }
        }
        block.put(row);
      }
      block.limit(block.position());
      block.position(LEAD);
      rowsScored += foldInRows.rows();
      calls++;
      return block;
    }
  }

  /** Random disjoint fold-in / held-out rows; about one user in six has no held-out item. */
  private static CsrMatrix[] randomSplit(int users, int items, long seed) {
    Random random = new Random(seed);
    CsrMatrix.Builder foldIn = new CsrMatrix.Builder(items);
    CsrMatrix.Builder heldOut = new CsrMatrix.Builder(items);
    for (int u = 0; u < users; u++) {
      List<Integer> foldInItems = new ArrayList<>();
      List<Integer> heldOutItems = new ArrayList<>();
      boolean noHeldOut = random.nextInt(6) == 0;
      for (int i = 0; i < items; i++) {
        int draw = random.nextInt(10);
        if (draw < 2) {
          foldInItems.add(i);
        } else if (draw < 3 && !noHeldOut) {
          heldOutItems.add(i);
        }
      }
      foldIn.addRow(foldInItems.stream().mapToInt(Integer::intValue).toArray());
      heldOut.addRow(heldOutItems.stream().mapToInt(Integer::intValue).toArray());
    }
    return new CsrMatrix[] {foldIn.build(), heldOut.build()};
  }

  private static EvaluationResult evaluate(CsrMatrix[] split, int batchSize, int threads) {
    Evaluator evaluator = Evaluator.builder(METRICS).batchSize(batchSize).threads(threads).build();
    return evaluator.evaluate(new ItemSimilarityScorer(split[0].cols(), 7), split[0], split[1]);
  }

  @Test
  void threadCountDoesNotChangeResults() {
    CsrMatrix[] split = randomSplit(301, 40, 1);
    EvaluationResult single = evaluate(split, 64, 1);
    for (int threads : new int[] {2, 3, 8}) {
      EvaluationResult parallel = evaluate(split, 64, threads);
      assertThat(parallel).as("%d threads", threads).isEqualTo(single);
      for (Metric metric : METRICS) {
        if (metric instanceof UserMetric) {
          assertThat(parallel.perUserValues(metric.name())).isEqualTo(single.perUserValues(metric.name()));
        }
        assertThat(parallel.value(metric.name())).isEqualTo(single.value(metric.name())); // bit for bit
      }
    }
  }

  @Test
  void batchSizeDoesNotChangeResults() {
    CsrMatrix[] split = randomSplit(301, 40, 2);
    EvaluationResult reference = evaluate(split, Evaluator.DEFAULT_BATCH_SIZE, 2);
    for (int batchSize : new int[] {1, 7, 64, 250}) {
      EvaluationResult batched = evaluate(split, batchSize, 2);
      assertThat(batched).as("batch size %d", batchSize).isEqualTo(reference);
    }
  }

  @Test
  void usersWithoutHeldOutItemsAreSkippedCountedAndNotScored() {
    CsrMatrix[] split = randomSplit(120, 30, 3);
    int[] withHeldOut = IntStream.range(0, 120).filter(u -> split[1].rowLength(u) > 0).toArray();
    assertThat(withHeldOut.length).isBetween(80, 115); // the split does leave some users empty

    ItemSimilarityScorer scorer = new ItemSimilarityScorer(30, 7);
    EvaluationResult result =
        Evaluator.builder(METRICS).batchSize(16).threads(2).build().evaluate(scorer, split[0], split[1]);

    assertThat(result.users()).isEqualTo(withHeldOut.length);
    assertThat(result.skippedUsers()).isEqualTo(120 - withHeldOut.length);
    assertThat(result.userRows()).containsExactly(withHeldOut);
    assertThat(scorer.rowsScored).isEqualTo(withHeldOut.length);
    assertThat(scorer.calls).isEqualTo((withHeldOut.length + 15) / 16);
    // the same as evaluating only the users that have held-out items
    EvaluationResult filtered = Evaluator.builder(METRICS).batchSize(16).threads(2).build()
        .evaluate(new ItemSimilarityScorer(30, 7), split[0].selectRows(withHeldOut), split[1].selectRows(withHeldOut));
    for (Metric metric : METRICS) {
      assertThat(result.value(metric.name())).isEqualTo(filtered.value(metric.name()));
    }
    assertThat(result.perUserValues("ndcg@10")).isEqualTo(filtered.perUserValues("ndcg@10"));
  }

  /** Three users over five items with fixed scores, so every number can be checked by hand. */
  private static final float[][] SMALL_SCORES = {
    {0.9f, 0.8f, 0.7f, 0.6f, 0.5f}, // user 0: fold-in {0}; ranking [1,2,3,4]; held-out {1} -> hit at rank 1
    {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, // user 1: fold-in {};  ranking [4,3,2,1,0]; held-out {3,0} -> hits at 2, 5
    {0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, // user 2: fold-in {1}; ranking by index [0,2,3,4]; held-out {} -> skipped
    {0.0f, 0.0f, 0.0f, 1.0f, 0.0f}, // user 3: fold-in {3}; ranking [0,1,2,4]; held-out {2} -> hit at rank 3
  };

  private static BatchScorer fixedScores() {
    int[] next = {0};
    return rows -> {
      FloatBuffer block = FloatBuffer.allocate(rows.rows() * 5);
      for (int r = 0; r < rows.rows(); r++) {
        int user = next[0]++;
        if (user == 2) {
          user = next[0]++; // user 2 is skipped and never scored
        }
        block.put(SMALL_SCORES[user]);
      }
      return block.flip();
    };
  }

  @Test
  void smallCaseByHand() {
    CsrMatrix foldIn = new CsrMatrix(4, 5, new int[] {0, 1, 1, 2, 3}, new int[] {0, 1, 3});
    CsrMatrix heldOut = new CsrMatrix(4, 5, new int[] {0, 1, 3, 3, 4}, new int[] {1, 0, 3, 2});
    Evaluator evaluator = Evaluator.builder(MetricParser.parseList("recall@2,mrr@5,coverage@2"))
        .batchSize(2).threads(1).build();

    EvaluationResult result = evaluator.evaluate(fixedScores(), foldIn, heldOut);

    assertThat(result.users()).isEqualTo(3);
    assertThat(result.skippedUsers()).isEqualTo(1);
    assertThat(result.userRows()).containsExactly(0, 1, 3);
    // recall@2: user 0: 1 hit / min(2, 1) = 1; user 1: 1 hit (item 3 at rank 2) / min(2, 2) = 0.5; user 3: 0 / 1 = 0
    assertThat(result.perUserValues("recall@2")).containsExactly(1.0, 0.5, 0.0);
    // mean 0.5; std (ddof 0) = sqrt((0.25 + 0 + 0.25) / 3) = 0.4082483; standard error = 0.4082483 / sqrt(3)
    assertThat(result.value("recall@2")).isEqualTo(0.5);
    assertThat(result.standardError("recall@2")).hasValueCloseTo(Math.sqrt(1.0 / 6.0) / Math.sqrt(3.0),
        within(1e-12));
    // mrr@5: 1/1, 1/2, 1/3; mean 11/18 = 0.6111111; squared deviations 0.1512346 + 0.0123457 + 0.0771605
    // = 0.2407407; / 3 = 0.0802469; sqrt = 0.2832788; standard error = 0.2832788 / sqrt(3) = 0.1635511
    assertThat(result.perUserValues("mrr@5")).containsExactly(1.0, 0.5, 1.0 / 3.0);
    assertThat(result.value("mrr@5")).isCloseTo(11.0 / 18.0, within(1e-12));
    assertThat(result.standardError("mrr@5")).hasValueCloseTo(0.1635511, within(1e-7));
    // coverage@2: top-2 lists {1,2}, {4,3}, {0,1} -> items {0,1,2,3,4} = 5/5
    assertThat(result.value("coverage@2")).isEqualTo(1.0);
    assertThat(result.standardError("coverage@2")).isEmpty();
    assertThat(result.values().keySet()).containsExactly("recall@2", "mrr@5", "coverage@2");
    assertThat(result.toString())
        .isEqualTo("recall@2=0.5000±0.2357 mrr@5=0.6111±0.1636 coverage@2=1.0000 users=3 skipped=1");
  }

  @Test
  void foldInItemsAreNeverRecommended() {
    // every user's fold-in items get the highest scores; the held-out item is the best of the rest
    int items = 12;
    CsrMatrix foldIn = new CsrMatrix(2, items, new int[] {0, 2, 5}, new int[] {3, 7, 0, 1, 2});
    CsrMatrix heldOut = new CsrMatrix(2, items, new int[] {0, 1, 2}, new int[] {11, 10});
    BatchScorer scorer = rows -> {
      FloatBuffer block = FloatBuffer.allocate(rows.rows() * items);
      for (int r = 0; r < rows.rows(); r++) {
        for (int i = 0; i < items; i++) {
          block.put(rows.contains(r, i) ? 100f : i); // higher index, higher score, below any fold-in item
        }
      }
      return block.flip();
    };
    EvaluationResult result = Evaluator.builder(MetricParser.parseList("hitrate@1,coverage@1")).threads(1).build()
        .evaluate(scorer, foldIn, heldOut);
    // user 0's top-1 is item 11 (held out), user 1's also 11 (its held-out item 10 is second)
    assertThat(result.perUserValues("hitrate@1")).containsExactly(1.0, 0.0);
    assertThat(result.value("coverage@1")).isEqualTo(1.0 / items);
  }

  @Test
  void largestCutoffBeyondTheCatalogueRanksEverythingAvailable() {
    CsrMatrix[] split = randomSplit(30, 8, 4);
    EvaluationResult result = Evaluator.builder(MetricParser.parseList("recall@50,coverage@50,precision@50"))
        .threads(2).build().evaluate(new ItemSimilarityScorer(8, 1), split[0], split[1]);
    // every non-fold-in item is ranked, so every held-out item is found
    assertThat(result.perUserValues("recall@50")).containsOnly(1.0);
    assertThat(result.value("precision@50")).isLessThan(8.0 / 50.0);
  }

  @Test
  void rejectsInconsistentInput() {
    CsrMatrix[] split = randomSplit(10, 6, 5);
    Evaluator evaluator = Evaluator.builder(METRICS).build();
    assertThatThrownBy(() -> evaluator.evaluate(new ItemSimilarityScorer(6, 1), split[0], CsrMatrix.empty(9, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fold-in is 10x6 but held-out is 9x6");
    assertThatThrownBy(() -> evaluator.evaluate(new ItemSimilarityScorer(6, 1), split[0], CsrMatrix.empty(10, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no user has a held-out item; nothing to evaluate (10 users skipped)");
    BatchScorer shortScorer = rows -> FloatBuffer.allocate(rows.rows() * 6 - 1);
    assertThatThrownBy(() -> evaluator.evaluate(shortScorer, split[0], split[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the scorer returned")
        .hasMessageContaining("x 6 items");
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> Evaluator.builder(METRICS).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize must be > 0, got 0");
    assertThatThrownBy(() -> Evaluator.builder(METRICS).threads(-2))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be > 0, got -2");
    assertThatThrownBy(() -> Evaluator.builder(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("metrics must not be empty");
    assertThatThrownBy(() -> Evaluator.builder(List.of(new Ndcg(10), new Recall(5), new Ndcg(10))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("metric ndcg@10 is given twice");
  }

  @Test
  void resultRejectsUnknownNamesAndPerUserValuesOfAggregates() {
    EvaluationResult result = evaluate(randomSplit(20, 10, 6), 8, 1);
    assertThatThrownBy(() -> result.value("ndcg@100"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("metric 'ndcg@100' was not evaluated; evaluated: [ndcg@10,");
    assertThatThrownBy(() -> result.perUserValues("coverage@10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("coverage@10 is an aggregate metric and has no per-user values");
    double[] copy = result.perUserValues("ndcg@10");
    copy[0] = -1;
    assertThat(result.perUserValues("ndcg@10")[0]).isNotEqualTo(-1);
  }
}
