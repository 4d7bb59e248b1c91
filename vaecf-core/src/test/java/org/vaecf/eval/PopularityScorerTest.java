package org.vaecf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;

class PopularityScorerTest {
  // 4 training users over 5 items; item counts [3, 1, 2, 0, 2]
  private static final CsrMatrix TRAIN = new CsrMatrix.Builder(5)
      .addRow(new int[] {0, 2})
      .addRow(new int[] {0, 1, 4})
      .addRow(new int[] {0, 2, 4})
      .addRow(new int[] {})
      .build();

  @Test
  void scoresEveryUserWithTheItemCounts() {
    PopularityScorer scorer = new PopularityScorer(TRAIN);
    assertThat(scorer.popularity()).containsExactly(3f, 1f, 2f, 0f, 2f);

    FloatBuffer scores = scorer.score(CsrMatrix.empty(3, 5));
    assertThat(scores.remaining()).isEqualTo(15);
    float[] read = new float[15];
    scores.get(read);
    assertThat(read).containsExactly(3f, 1f, 2f, 0f, 2f, 3f, 1f, 2f, 0f, 2f, 3f, 1f, 2f, 0f, 2f);
    // a smaller batch after a larger one gets a block of its own size
    assertThat(scorer.score(CsrMatrix.empty(1, 5)).remaining()).isEqualTo(5);
    assertThat(scores.isReadOnly()).isTrue();
  }

  @Test
  void recommendsThePopularItemsAUserHasNotSeen() {
    // user 0 saw item 0: remaining order 2 (count 2), 4 (count 2, higher index), 1, 3
    // user 1 saw items 2 and 4: order 0, 1, 3
    CsrMatrix foldIn = new CsrMatrix.Builder(5).addRow(new int[] {0}).addRow(new int[] {2, 4}).build();
    CsrMatrix heldOut = new CsrMatrix.Builder(5).addRow(new int[] {4}).addRow(new int[] {3}).build();
    EvaluationResult result = Evaluator.builder(MetricParser.parseList("mrr@5,coverage@1")).threads(1).build()
        .evaluate(new PopularityScorer(TRAIN), foldIn, heldOut);
    // user 0: item 4 at rank 2 -> 1/2; user 1: item 3 at rank 3 -> 1/3
    assertThat(result.perUserValues("mrr@5")).containsExactly(0.5, 1.0 / 3.0);
    // top-1 lists {2} and {0}: 2 of 5 items
    assertThat(result.value("coverage@1")).isEqualTo(0.4);
  }

  @Test
  void rejectsRowsOverAnotherCatalogue() {
    assertThatThrownBy(() -> new PopularityScorer(TRAIN).score(CsrMatrix.empty(2, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fold-in rows have 6 columns but the popularity scorer knows 5 items");
  }
}
