package org.vaecf.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CatalogueCoverageTest {
  @Test
  void countsDistinctItemsInAnyTopKOverTheCatalogue() {
    AggregateMetric.Accumulator coverage = new CatalogueCoverage(2).newAccumulator(10);
    coverage.add(new int[] {3, 0, 1}, 0, 3); // top-2 {3, 0}; item 1 is beyond the cutoff
    coverage.add(new int[] {9, 9, 3, 5, 7}, 2, 3); // the ranking [3, 5, 7] at offset 2: top-2 {3, 5}
    // distinct {0, 3, 5} = 3 of 10 items
    assertThat(coverage.value()).isEqualTo(0.3);
  }

  @Test
  void isZeroWithNoRankingsOrNoItems() {
    assertThat(new CatalogueCoverage(5).newAccumulator(10).value()).isEqualTo(0.0);
    assertThat(new CatalogueCoverage(5).newAccumulator(0).value()).isEqualTo(0.0);
  }

  @Test
  void rejectsItemsOutsideTheCatalogue() {
    AggregateMetric.Accumulator coverage = new CatalogueCoverage(2).newAccumulator(4);
    assertThatThrownBy(() -> coverage.add(new int[] {4}, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void kMustBePositive() {
    assertThatThrownBy(() -> new CatalogueCoverage(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be > 0, got -1");
  }
}
