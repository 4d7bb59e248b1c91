package org.vaecf.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaecf.data.SharedFixtures;

/**
 * Checks {@link NumpyLegacyRandom} against outputs of NumPy 2.4's legacy global generator, stored in
 * {@code ../shared/testvectors/numpy_legacy_rng.json} (and a few typed in from the same NumPy below).
 */
class NumpyLegacyRandomTest {

  private static JsonNode cases() throws IOException {
    Path file = SharedFixtures.require("testvectors/numpy_legacy_rng.json");
    return new ObjectMapper().readTree(file.toFile()).get("cases");
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  @Test
  void reproducesEveryCaseOfTheSharedVectors() throws IOException {
    List<String> checked = new ArrayList<>();
    for (JsonNode c : cases()) {
      String call = c.get("call").asText();
      NumpyLegacyRandom rng = new NumpyLegacyRandom(c.get("seed").asLong());
      switch (call) {
        case "permutation" -> {
          assertThat(rng.permutation(c.get("n").asInt())).as("%s", c).containsExactly(ints(c.get("result")));
        }
        case "choice_sequence_after_seed" -> {
          // The state carries from one call to the next, as in the notebook's loop over users.
          for (JsonNode step : c.get("calls")) {
            assertThat(rng.choice(step.get("n").asInt(), step.get("size").asInt()))
                .as("%s", step)
                .containsExactly(ints(step.get("result")));
          }
        }
        case "permutation_then_choice" -> {
          assertThat(rng.permutation(c.get("permutation_n").asInt())).containsExactly(ints(c.get("permutation")));
          assertThat(rng.choice(c.get("choice_n").asInt(), c.get("choice_size").asInt()))
              .containsExactly(ints(c.get("choice")));
        }
        case "randint_uint32_first8" -> {
          JsonNode expected = c.get("result");
          for (int i = 0; i < expected.size(); i++) {
            assertThat(rng.nextUint32()).as("output %d", i).isEqualTo(expected.get(i).asLong());
          }
        }
        default -> throw new AssertionError("unknown case kind '" + call + "': update this test");
      }
      checked.add(call);
    }
    // 24 permutations + 3 sequence cases in the fixture as generated; a silently empty file must not pass.
    assertThat(checked).hasSize(27);
  }

  @Test
  void reseedRestartsTheSequence() {
    NumpyLegacyRandom rng = new NumpyLegacyRandom(98765);
    int[] first = rng.permutation(50);
    assertThat(rng.permutation(50)).isNotEqualTo(first);
    rng.reseed(98765);
    assertThat(rng.permutation(50)).containsExactly(first);
  }

  @Test
  void choiceOfZeroStillConsumesAPermutation() {
    // NumPy's choice(n, 0, replace=False) computes permutation(n)[:0]; skipping the draws would desynchronise the
    // stream for every later user.
    NumpyLegacyRandom a = new NumpyLegacyRandom(7);
    a.choice(10, 0);
    NumpyLegacyRandom b = new NumpyLegacyRandom(7);
    b.permutation(10);
    assertThat(a.nextUint32()).isEqualTo(b.nextUint32());
  }

  @Test
  void firstOutputsForSeedZeroAndMaxSeedMatchNumpy() {
    // python3 -c "import numpy as np; np.random.seed(0); print(np.random.randint(0, 2**32, 3, dtype=np.uint32))"
    NumpyLegacyRandom zero = new NumpyLegacyRandom(0);
    assertThat(new long[] {zero.nextUint32(), zero.nextUint32(), zero.nextUint32()})
        .containsExactly(2357136044L, 2546248239L, 3071714933L);
    // python3 -c "import numpy as np; np.random.seed(2**32-1); print(np.random.permutation(8))"
    assertThat(new NumpyLegacyRandom(NumpyLegacyRandom.MAX_SEED).permutation(8))
        .containsExactly(1, 7, 6, 0, 5, 4, 2, 3);
  }

  @Test
  void rejectsSeedsNumpyRejects() {
    assertThatThrownBy(() -> new NumpyLegacyRandom(-1)).hasMessageContaining("between 0 and 2^32-1").hasMessageContaining("-1");
    assertThatThrownBy(() -> new NumpyLegacyRandom(1L << 32)).hasMessageContaining("4294967296");
    assertThatThrownBy(() -> new NumpyLegacyRandom(1).choice(3, 4)).hasMessageContaining("size must be in 0..3");
  }

  @Test
  void splittableGivesPermutationsAndIsDeterministic() {
    SplitRandom a = SplitRng.SPLITTABLE.create(-5);
    int[] p = a.permutation(100);
    assertThat(p).containsExactlyInAnyOrder(new NumpyLegacyRandom(1).permutation(100));
    a.reseed(-5);
    assertThat(a.choice(100, 10)).containsExactly(java.util.Arrays.copyOf(p, 10));
  }

  @Test
  void rngNamesRoundTripAndUnknownNamesListTheValidOnes() {
    for (SplitRng rng : SplitRng.values()) {
      assertThat(SplitRng.fromCliName(rng.cliName())).isEqualTo(rng);
    }
    assertThatThrownBy(() -> SplitRng.fromCliName("mersenne"))
        .hasMessage("unknown random generator 'mersenne' (valid: numpy-legacy, splittable)");
  }
}
