package org.vaecf.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.model.TestModels;
import org.vaecf.model.TrainedModel;

/** Every user ranked once and handed over in row order; a failure reported as it happened. */
class BulkRecommenderTest {
  private static final TrainedModel MODEL = TestModels.small(7);

  private static CsrMatrix histories(int users) {
    SplittableRandom random = new SplittableRandom(3);
    int items = MODEL.items().size();
    CsrMatrix.Builder builder = new CsrMatrix.Builder(items);
    for (int u = 0; u < users; u++) {
      builder.addRow(random.ints(1 + u % 4, 0, items).distinct().sorted().toArray());
    }
    return builder.build();
  }

  @Test
  void batchesAreWrittenInRowOrderWithEveryUserOnce() throws Exception {
    CsrMatrix histories = histories(53);
    List<Integer> firstRows = new ArrayList<>();
    List<Integer> prepared = new ArrayList<>();
    try (BulkRecommender recommender = new BulkRecommender(MODEL, 8, 3)) {
      recommender.recommendAll(
          histories,
          4,
          new BulkRecommender.Sink<Integer>() {
            @Override
            public Integer prepare(int firstRow, Ranking.Ranked[] ranked) {
              for (int r = 0; r < ranked.length; r++) {
                for (int item : ranked[r].items()) {
                  assertThat(histories.row(firstRow + r)).doesNotContain(item);
                }
              }
              synchronized (prepared) {
                prepared.add(firstRow);
              }
              return ranked.length;
            }

            @Override
            public void write(int firstRow, int rows, Integer count) {
              assertThat(count).isEqualTo(rows);
              firstRows.add(firstRow);
            }
          });
    }
    assertThat(firstRows).containsExactly(0, 8, 16, 24, 32, 40, 48);
    assertThat(prepared).containsExactlyInAnyOrderElementsOf(firstRows);
  }

  @Test
  void aFailingWriteIsWhatTheRunReports() {
    CsrMatrix histories = histories(64);
    try (BulkRecommender recommender = new BulkRecommender(MODEL, 8, 2)) {
      assertThatThrownBy(
              () ->
                  recommender.recommendAll(
                      histories,
                      3,
                      new BulkRecommender.Sink<Object>() {
                        @Override
                        public Object prepare(int firstRow, Ranking.Ranked[] ranked) {
                          return null;
                        }

                        @Override
                        public void write(int firstRow, int rows, Object prepared) throws IOException {
                          if (firstRow == 8) {
                            throw new IOException("No space left on device");
                          }
                        }
                      }))
          .isInstanceOf(IOException.class)
          .hasMessage("No space left on device");
    }
  }
}
