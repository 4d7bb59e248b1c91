package org.vaecf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricParserTest {
  @Test
  void parsesEveryFamily() {
    assertThat(MetricParser.parse("ndcg@100")).isEqualTo(new Ndcg(100));
    assertThat(MetricParser.parse("recall@20")).isEqualTo(new Recall(20));
    assertThat(MetricParser.parse("precision@10")).isEqualTo(new Precision(10));
    assertThat(MetricParser.parse("hitrate@10")).isEqualTo(new HitRate(10));
    assertThat(MetricParser.parse("mrr@100")).isEqualTo(new Mrr(100));
    assertThat(MetricParser.parse("map@100")).isEqualTo(new MeanAveragePrecision(100));
    assertThat(MetricParser.parse("coverage@100")).isEqualTo(new CatalogueCoverage(100));
  }

  @Test
  void ignoresCaseAndSurroundingSpace() {
    assertThat(MetricParser.parse(" NDCG@50 ")).isEqualTo(new Ndcg(50));
  }

  @Test
  void parsesAListInOrderAndRoundTripsNames() {
    assertThat(MetricParser.parseList("ndcg@100,recall@20, recall@50"))
        .extracting(Metric::name)
        .containsExactly("ndcg@100", "recall@20", "recall@50");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ndgc@100", "ndcg", "ndcg@", "ndcg@0", "ndcg@-5", "ndcg@ten", "@10", ""})
  void badNamesAreRejectedWithTheValidOnes(String name) {
    assertThatThrownBy(() -> MetricParser.parse(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown metric '" + name + "'")
        .hasMessageContaining("ndcg@K, recall@K, precision@K, hitrate@K, mrr@K, map@K, coverage@K");
  }

  @Test
  void aRepeatedNameIsRejected() {
    assertThatThrownBy(() -> MetricParser.parseList("recall@20,ndcg@100,RECALL@20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recall@20 is listed twice");
  }
}
