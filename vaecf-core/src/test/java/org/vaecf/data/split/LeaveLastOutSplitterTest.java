package org.vaecf.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vaecf.data.split.SplitFixtures.items;
import static org.vaecf.data.split.SplitFixtures.log;

import org.junit.jupiter.api.Test;
import org.vaecf.data.Interactions;

class LeaveLastOutSplitterTest {

  @Test
  void latestGoesToTestTheOneBeforeToValidationTiesByFileOrder() {
    Interactions data = log(false, true,
        new String[] {"u1", "a", "10"}, new String[] {"u1", "b", "30"}, new String[] {"u1", "c", "20"},
        new String[] {"u1", "d", "30"},
        new String[] {"u2", "a", "1"}, new String[] {"u2", "b", "0"}, new String[] {"u2", "d", "0"},
        new String[] {"u2", "c", "2"}, new String[] {"u2", "e", "3"},
        new String[] {"u3", "x", "1"});
    PreparedData split = LeaveLastOutConfig.defaults().splitter().split(data);
    // u1 by time: a10 c20 b30 d30 (d is the later line) -> test d, validation b, training a c.
    // u2 by time: b0 d0 a1 c2 e3 -> test e, validation c, training b d a. u3 has too few interactions.
    assertThat(split.trainUsers().ids()).containsExactly("u1", "u2");
    assertThat(split.items().ids()).containsExactly("a", "c", "b", "d");
    assertThat(items(split.train(), 0, split.items())).containsExactly("a", "c");
    assertThat(items(split.train(), 1, split.items())).containsExactly("a", "b", "d");
    assertThat(split.validation().users().ids()).containsExactly("u1", "u2");
    assertThat(items(split.validation().heldOut(), 0, split.items())).containsExactly("b");
    assertThat(items(split.validation().heldOut(), 1, split.items())).containsExactly("c");
    assertThat(split.validation().foldIn().row(1)).containsExactly(split.train().row(1));
    // u2's test item "e" was never trained on: dropped, and u2 with it.
    assertThat(split.test().users().ids()).containsExactly("u1");
    assertThat(items(split.test().heldOut(), 0, split.items())).containsExactly("d");
    assertThat(split.stats()).isEqualTo(new PreparationStats(2, 4, 5, 2, 1, 5, 2, 2, 1, 10, 0, 0, 9, 2, 1, 1));
    assertThat(split.provenance().orElseThrow().split()).isEqualTo(LeaveLastOutConfig.defaults());
  }

  @Test
  void needsTimestamps() {
    Interactions data = log(false, false, new String[] {"u", "a"}, new String[] {"u", "b"}, new String[] {"u", "c"});
    assertThatThrownBy(() -> LeaveLastOutConfig.defaults().splitter().split(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the leave-last-out split orders each user's interactions by time, but the csv input has no "
            + "timestamps; choose a timestamp column or another split");
    assertThatThrownBy(() -> new LeaveLastOutConfig(3.5, 2)).hasMessage("minUserInteractions must be >= 3, got 2");
  }
}
