package org.vaecf.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vaecf.data.Interactions;

class SyntheticDataTest {
  private static final SyntheticData.Settings SMALL = SyntheticData.Settings.demo().withSize(500, 300);

  @Test
  void sameSettingsGiveTheSameLog() {
    Interactions first = new SyntheticData(SMALL).generate();
    Interactions second = new SyntheticData(SMALL).generate();
    assertThat(second.size()).isEqualTo(first.size());
    for (int k = 0; k < first.size(); k += 97) {
      assertThat(second.users().rawId(second.user(k))).isEqualTo(first.users().rawId(first.user(k)));
      assertThat(second.items().rawId(second.item(k))).isEqualTo(first.items().rawId(first.item(k)));
    }
    Interactions other = new SyntheticData(SMALL.withSeed(7)).generate();
    assertThat(other.size()).isNotEqualTo(first.size());
  }

  @Test
  void everyUserHasAtLeastTheMinimumAndPairsAreDistinct() {
    Interactions log = new SyntheticData(SMALL).generate();
    int[] perUser = new int[log.users().size()];
    for (int k = 0; k < log.size(); k++) {
      perUser[log.user(k)]++;
    }
    assertThat(log.users().size()).isEqualTo(500);
    assertThat(java.util.Arrays.stream(perUser).min().orElseThrow()).isGreaterThanOrEqualTo(SMALL.minClicks());
    assertThat(log.report().duplicatePairs()).isZero();
    double mean = (double) log.size() / log.users().size();
    assertThat(mean).isBetween(SMALL.meanClicks() * 0.7, SMALL.meanClicks() * 1.3);
  }

  @Test
  void popularityIsHeavyTailed() {
    Interactions log = new SyntheticData(SyntheticData.Settings.demo()).generate();
    int[] perItem = new int[SyntheticData.Settings.demo().items()];
    for (int k = 0; k < log.size(); k++) {
      perItem[Integer.parseInt(log.items().rawId(log.item(k)).substring(1))]++;
    }
    int[] sorted = java.util.Arrays.stream(perItem).sorted().toArray();
    long top = 0;
    long total = 0;
    for (int i = 0; i < sorted.length; i++) {
      total += sorted[i];
      if (i >= sorted.length * 9 / 10) {
        top += sorted[i];
      }
    }
    // Under a uniform draw the top 10% of items would hold about 10% of the clicks.
    assertThat((double) top / total).isGreaterThan(0.3);
  }

  @Test
  void badSettingsNameTheParameter() {
    assertThatThrownBy(() -> SMALL.withSize(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("users must be > 0, got 0");
    assertThatThrownBy(
            () -> new SyntheticData.Settings(10, 10, 11, 1, 5, 10, 1, 0.1, 1))
        .hasMessageContaining("tastes must be in [1, items]");
  }
}
