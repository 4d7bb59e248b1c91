package org.vaecf.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vaecf.data.split.SplitFixtures.fingerprint;
import static org.vaecf.data.split.SplitFixtures.log;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.SharedFixtures;

/**
 * The notebook's split on real data. Expected values come from {@code src/test/resources/notebook_split.py}, an
 * independent re-enactment of the notebook's pandas steps with NumPy 2.4's legacy RNG:
 * <pre>
 * python3 vaecf-core/src/test/resources/notebook_split.py ../shared/data/ml-100k/u.data movielens-100k 100
 * python3 vaecf-core/src/test/resources/notebook_split.py ../shared/data/ml-latest-small/ratings.csv movielens-csv 60
 * </pre>
 */
class StrongGeneralizationSplitterTest {

  private static PreparedData split(String relative, InteractionFormat format, int heldOutUsers) {
    Path file = SharedFixtures.require(relative);
    Interactions data = new InteractionReader(ReaderOptions.of(format)).read(file);
    return StrongGeneralizationConfig.defaults(heldOutUsers).splitter().split(data);
  }

  @Test
  void reproducesTheNotebookOnMovieLens100k() {
    PreparedData data = split("data/ml-100k/u.data", InteractionFormat.MOVIELENS_100K, 100);
    assertThat(data.stats()).isEqualTo(new PreparationStats(
        738, 1_415, 43_606, 100, 100, 4_839, 1_161, 4_612, 1_105, 100_000, 0, 0, 55_361, 938, 38, 0));
    assertThat(data.trainUsers().ids()).startsWith("849", "336", "232", "328", "408");
    assertThat(data.items().ids()).startsWith("474", "465", "1014", "222", "387");
    assertFingerprints(data,
        "e6cb52ff636ee4eedd9b0d38dc1c8c7a9fc3bcd78d07587892ebfe708de44841",
        "f2f09905d30f38cc54b17f906135637ccd085a38f05179797a2a1d471ccd217b",
        "cf34e1cf995d31e8af9e8f5bbee42fb445523dca31c6a7179ad16b1351dd0af6",
        "021205684f04219b3faea7fb92d2da3c4fa6173186de9ae83971dad616b7267f",
        "9fa8014186c4c44d29390be0ce2767c17686e90b5e10a77fde820d4d97fc049d");
    assertHeldOutShape(data);
    assertThat(data.provenance()).hasValueSatisfying(p -> {
      assertThat(p.format()).isEqualTo("movielens-100k");
      assertThat(p.split()).isEqualTo(StrongGeneralizationConfig.defaults(100));
    });
  }

  @Test
  void reproducesTheNotebookOnMovieLensLatestSmall() {
    PreparedData data = split("data/ml-latest-small/ratings.csv", InteractionFormat.MOVIELENS_CSV, 60);
    assertThat(data.stats()).isEqualTo(new PreparationStats(
        483, 5_660, 38_246, 60, 60, 3_875, 939, 3_879, 935, 100_836, 0, 0, 48_562, 603, 688, 0));
    assertThat(data.trainUsers().ids()).startsWith("444", "510", "169", "154", "113");
    assertThat(data.items().ids()).startsWith("1", "3", "6", "47", "50");
    assertFingerprints(data,
        "7a3c6542966681fe000eb101b2b99744093d7b40d0665b4162edbc12c41b0556",
        "2735efe84a9cd516873e6ff5ac2c3e17e2bd34210f40e76098509dd05a7f5391",
        "98a2d4125b139e987bc3f8b3c5ad3b1c9936b80a1120c6da75dae19e49ec2e55",
        "457a5fe1d49791017ec0971a63b9bad45961ba72460326170a3fcb1072e4bb7b",
        "66fe401a83570c0ab87f8356dd36b6dc0478b69a7df7fe9b10f691ed87bb5cbf");
    assertHeldOutShape(data);
  }

  private static void assertFingerprints(PreparedData data, String train, String validationFoldIn,
      String validationHeldOut, String testFoldIn, String testHeldOut) {
    assertThat(fingerprint(data.trainUsers(), data.train(), data.items())).as("train").isEqualTo(train);
    HeldOutSet v = data.validation();
    assertThat(fingerprint(v.users(), v.foldIn(), data.items())).as("validation fold-in").isEqualTo(validationFoldIn);
    assertThat(fingerprint(v.users(), v.heldOut(), data.items())).as("validation held-out").isEqualTo(validationHeldOut);
    HeldOutSet t = data.test();
    assertThat(fingerprint(t.users(), t.foldIn(), data.items())).as("test fold-in").isEqualTo(testFoldIn);
    assertThat(fingerprint(t.users(), t.heldOut(), data.items())).as("test held-out").isEqualTo(testHeldOut);
  }

  /** Held-out users are disjoint from training users; each holds out int(0.2 n) of its n rows, disjoint from fold-in. */
  private static void assertHeldOutShape(PreparedData data) {
    for (HeldOutSet set : new HeldOutSet[] {data.validation(), data.test()}) {
      assertThat(set.heldOut().cols()).isEqualTo(data.items().size());
      for (int r = 0; r < set.size(); r++) {
        assertThat(data.trainUsers().contains(set.users().rawId(r))).isFalse();
        int n = set.foldIn().rowLength(r) + set.heldOut().rowLength(r);
        int expected = n >= 5 ? (int) (0.2 * n) : 0;
        assertThat(set.heldOut().rowLength(r)).as("user %s with %d rows", set.users().rawId(r), n).isEqualTo(expected);
        for (int c : set.heldOut().row(r)) {
          assertThat(set.foldIn().contains(r, c)).isFalse();
        }
      }
    }
    assertThat(data.validation().users().ids()).doesNotContainAnyElementsOf(data.test().users().ids());
  }

  @Test
  void handBuiltLogFollowsEveryStep() {
    // Rating 3.5 is dropped (strictly greater is kept); user 9 has too few rows left and is filtered out.
    Interactions data = log(true, false,
        new String[] {"2", "a", "5"}, new String[] {"2", "b", "4"}, new String[] {"2", "c", "4"},
        new String[] {"1", "b", "5"}, new String[] {"1", "d", "4"}, new String[] {"1", "a", "3.5"},
        new String[] {"9", "z", "5"}, new String[] {"3", "a", "5"}, new String[] {"3", "e", "5"},
        new String[] {"4", "d", "5"}, new String[] {"4", "c", "5"}, new String[] {"5", "b", "5"},
        new String[] {"5", "q", "5"}, new String[] {"6", "a", "5"}, new String[] {"6", "c", "5"},
        new String[] {"4", "a", "5"}, new String[] {"4", "b", "4.5"}, new String[] {"6", "x", "5"},
        new String[] {"4", "e", "5"});
    PreparedData split = StrongGeneralizationConfig.defaults(1).withMinUserInteractions(2).splitter().split(data);
    // python3 -c "import numpy as np; np.random.seed(98765); print(np.random.permutation(6))"  ->  [4 2 1 0 3 5]
    // so the sorted users 1..6 become 5 3 2 1 | 4 | 6.
    assertThat(split.trainUsers().ids()).containsExactly("5", "3", "2", "1");
    assertThat(split.validation().users().ids()).containsExactly("4");
    assertThat(split.test().users().ids()).containsExactly("6");
    // Training users' items in file order: a b c (user 2), d (user 1), e (user 3), q (user 5).
    assertThat(split.items().ids()).containsExactly("a", "b", "c", "d", "e", "q");
    assertThat(SplitFixtures.items(split.train(), 2, split.items())).containsExactly("a", "b", "c");
    // User 4 has 5 rows in file order d c a b e; after a reseed, choice(5, 1) = [4] holds out "e".
    // python3 -c "import numpy as np; np.random.seed(98765); print(np.random.choice(5, 1, replace=False))"  ->  [4]
    assertThat(SplitFixtures.items(split.validation().foldIn(), 0, split.items())).containsExactly("a", "b", "c", "d");
    assertThat(SplitFixtures.items(split.validation().heldOut(), 0, split.items())).containsExactly("e");
    // User 6 has fewer than 5 rows once the unseen "x" is gone: all folded in, nothing held out.
    assertThat(SplitFixtures.items(split.test().foldIn(), 0, split.items())).containsExactly("a", "c");
    assertThat(split.test().heldOut().rowLength(0)).isZero();
    assertThat(split.stats()).isEqualTo(new PreparationStats(4, 6, 9, 1, 1, 4, 1, 2, 0, 19, 0, 0, 17, 6, 1, 0));
  }

  @Test
  void ordersUsersLikePandasGroupby() {
    Interactions numeric = log(false, false,
        new String[] {"10", "a"}, new String[] {"9", "a"}, new String[] {"100", "a"}, new String[] {"-3", "a"});
    assertThat(ids(numeric, UserOrder.sorted(numeric.users(), new int[] {0, 1, 2, 3})))
        .containsExactly("-3", "9", "10", "100");
    Interactions text = log(false, false,
        new String[] {"10", "a"}, new String[] {"9", "a"}, new String[] {"u100", "a"}, new String[] {"\uD83D\uDE00", "a"},
        new String[] {"\uFFFD", "a"});
    // Code-point order puts U+FFFD before U+1F600, although its UTF-16 unit is larger than the surrogate's.
    assertThat(ids(text, UserOrder.sorted(text.users(), new int[] {0, 1, 2, 3, 4})))
        .containsExactly("10", "9", "u100", "\uFFFD", "\uD83D\uDE00");
  }

  private static String[] ids(Interactions data, int[] users) {
    return java.util.Arrays.stream(users).mapToObj(u -> data.users().rawId(u)).toArray(String[]::new);
  }

  @Test
  void dataWithoutRatingsIgnoresTheThreshold() {
    Interactions data = log(false, false,
        new String[] {"1", "a"}, new String[] {"2", "a"}, new String[] {"3", "a"}, new String[] {"4", "b"});
    PreparedData split = StrongGeneralizationConfig.defaults(1).withMinUserInteractions(1).splitter().split(data);
    assertThat(split.stats().interactionsAfterFilter()).isEqualTo(4);
    assertThat(split.trainUsers().size()).isEqualTo(2);
  }

  @Test
  void heldOutUserWithNothingLeftIsDroppedAndCounted() {
    // Six users again, so 4 is the validation user and 6 the test user; their only items are unseen in training.
    Interactions data = log(false, false,
        new String[] {"1", "a"}, new String[] {"2", "a"}, new String[] {"3", "b"}, new String[] {"4", "x"},
        new String[] {"5", "a"}, new String[] {"6", "y"}, new String[] {"6", "z"});
    PreparedData split = StrongGeneralizationConfig.defaults(1).withMinUserInteractions(1).splitter().split(data);
    assertThat(split.validation().size()).isZero();
    assertThat(split.test().size()).isZero();
    assertThat(split.stats().droppedEvaluationUsers()).isEqualTo(2);
    assertThat(split.stats().unseenItemInteractions()).isEqualTo(3);
  }

  @Test
  void tooManyHeldOutUsersIsAClearError() {
    Interactions data = log(false, false, new String[] {"1", "a"}, new String[] {"2", "a"}, new String[] {"3", "a"},
        new String[] {"4", "a"});
    assertThatThrownBy(() -> StrongGeneralizationConfig.defaults(2).withMinUserInteractions(1).splitter().split(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heldOutUsers = 2 needs more than 4 users, but 4 are left after keeping ratings > 3.5 and users "
            + "with at least 1 interactions; lower heldOutUsers");
  }

  @Test
  void configRejectsBadValuesByName() {
    assertThatThrownBy(() -> StrongGeneralizationConfig.defaults(0)).hasMessage("heldOutUsers must be >= 1, got 0");
    assertThatThrownBy(() -> StrongGeneralizationConfig.defaults(5).withSeed(-1))
        .hasMessage("seed must be between 0 and 2^32-1 for the numpy-legacy generator, got -1");
    assertThat(StrongGeneralizationConfig.defaults(5).withRng(SplitRng.SPLITTABLE).withSeed(-1).seed()).isEqualTo(-1);
    assertThatThrownBy(() -> StrongGeneralizationConfig.defaults(5).withTestProportion(1))
        .hasMessage("testProportion must be > 0 and < 1, got 1.0");
    assertThatThrownBy(() -> StrongGeneralizationConfig.defaults(5).withRatingThreshold(Double.NaN))
        .hasMessageStartingWith("ratingThreshold must be finite");
    assertThatThrownBy(() -> StrongGeneralizationConfig.defaults(5).withMinUserInteractions(0))
        .hasMessage("minUserInteractions must be >= 1, got 0");
  }

  @Test
  void splittableGeneratorGivesAnotherButEquallyShapedSplit() {
    Path file = SharedFixtures.require("data/ml-100k/u.data");
    Interactions data = new InteractionReader(ReaderOptions.of(InteractionFormat.MOVIELENS_100K)).read(file);
    PreparedData split = StrongGeneralizationConfig.defaults(100).withRng(SplitRng.SPLITTABLE).splitter().split(data);
    assertThat(split.trainUsers().size()).isEqualTo(738);
    assertThat(split.trainUsers().ids()).isNotEqualTo(split("data/ml-100k/u.data", InteractionFormat.MOVIELENS_100K, 100)
        .trainUsers().ids());
    assertHeldOutShape(split);
    assertThat(StrongGeneralizationConfig.defaults(100).withRng(SplitRng.SPLITTABLE).splitter().split(data))
        .as("deterministic for a seed").isEqualTo(split);
  }
}
