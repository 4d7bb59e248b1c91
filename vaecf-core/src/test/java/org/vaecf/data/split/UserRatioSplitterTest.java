package org.vaecf.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vaecf.data.split.SplitFixtures.items;
import static org.vaecf.data.split.SplitFixtures.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.SharedFixtures;

class UserRatioSplitterTest {

  @Test
  void shufflesEachUserInGroupbyOrderWithOneSeeding() {
    // User 2 comes first in the file but second in groupby order, so user 1 gets the first permutation.
    List<String[]> rows = new ArrayList<>();
    for (String user : new String[] {"2", "1"}) {
      for (int i = 0; i < 10; i++) {
        rows.add(new String[] {user, "i" + i});
      }
    }
    Interactions data = log(false, false, rows.toArray(String[][]::new));
    PreparedData split = UserRatioConfig.defaults().splitter().split(data);
    // python3 -c "import numpy as np; np.random.seed(98765); print(np.random.permutation(10), np.random.permutation(10))"
    //   -> [8 7 1 2 0 6 9 4 3 5] [3 1 5 6 7 0 4 8 2 9]: the first int(0.1 n) = 1 position to test, the next to validation.
    assertThat(split.trainUsers().ids()).containsExactly("1", "2");
    assertThat(split.test().users().ids()).containsExactly("1", "2");
    assertThat(items(split.test().heldOut(), 0, split.items())).containsExactly("i8");
    assertThat(items(split.validation().heldOut(), 0, split.items())).containsExactly("i7");
    assertThat(items(split.test().heldOut(), 1, split.items())).containsExactly("i3");
    assertThat(items(split.validation().heldOut(), 1, split.items())).containsExactly("i1");
    // Items: user 2's training items in file order, then user 1's that were new.
    assertThat(split.items().ids()).containsExactly("i0", "i2", "i4", "i5", "i6", "i7", "i8", "i9", "i1", "i3");
    // Fold-in is the user's training row.
    assertThat(split.validation().foldIn().row(0)).containsExactly(split.train().row(0));
    assertThat(split.test().foldIn().row(1)).containsExactly(split.train().row(1));
    assertThat(split.stats()).isEqualTo(new PreparationStats(2, 10, 16, 2, 2, 16, 2, 16, 2, 20, 0, 0, 20, 2, 0, 0));
  }

  @Test
  void partitionsEveryUserOfMovieLens100k() {
    Interactions data = new InteractionReader(ReaderOptions.of(InteractionFormat.MOVIELENS_100K))
        .read(SharedFixtures.require("data/ml-100k/u.data"));
    PreparedData split = UserRatioConfig.defaults().splitter().split(data);
    Map<String, Integer> kept = new HashMap<>();
    for (int k = 0; k < data.size(); k++) {
      if (data.rating(k) > 3.5f) {
        kept.merge(data.users().rawId(data.user(k)), 1, Integer::sum);
      }
    }
    kept.values().removeIf(n -> n < 5);
    PreparationStats stats = split.stats();
    // Same filter as the strong-generalization test: 938 users, 55,361 interactions.
    assertThat(stats.usersAfterFilter()).isEqualTo(938).isEqualTo(kept.size());
    assertThat(stats.interactionsAfterFilter()).isEqualTo(55_361);
    assertThat(split.trainUsers().size()).isEqualTo(938);
    assertThat(stats.trainInteractions() + stats.validationHeldOutInteractions() + stats.testHeldOutInteractions()
        + stats.unseenItemInteractions()).isEqualTo(stats.interactionsAfterFilter());
    for (int r = 0; r < split.trainUsers().size(); r++) {
      int n = kept.get(split.trainUsers().rawId(r));
      assertThat(split.train().rowLength(r)).isEqualTo(n - 2 * (int) (0.1 * n));
    }
    for (HeldOutSet set : new HeldOutSet[] {split.validation(), split.test()}) {
      for (int r = 0; r < set.size(); r++) {
        String user = set.users().rawId(r);
        int trainRow = split.trainUsers().require(user);
        assertThat(set.foldIn().row(r)).containsExactly(split.train().row(trainRow));
        assertThat(set.heldOut().rowLength(r)).isBetween(1, (int) (0.1 * kept.get(user)));
        for (int c : set.heldOut().row(r)) {
          assertThat(split.train().contains(trainRow, c)).isFalse();
        }
      }
    }
    assertThat(UserRatioConfig.defaults().withSeed(1).splitter().split(data).train()).isNotEqualTo(split.train());
  }

  @Test
  void configRejectsBadProportionsByName() {
    assertThatThrownBy(() -> UserRatioConfig.defaults().withProportions(0.5, 0.5))
        .hasMessage("validationProportion + testProportion must be < 1 so every user keeps training interactions, "
            + "got 0.5 + 0.5");
    assertThatThrownBy(() -> UserRatioConfig.defaults().withProportions(0, 0.2))
        .hasMessage("validationProportion must be > 0 and < 1, got 0.0");
    assertThatThrownBy(() -> UserRatioConfig.defaults().withMinUserInteractions(100).splitter()
            .split(log(false, false, new String[] {"1", "a"})))
        .hasMessage("no users left after keeping ratings > 3.5 and users with at least 100 interactions");
  }
}
