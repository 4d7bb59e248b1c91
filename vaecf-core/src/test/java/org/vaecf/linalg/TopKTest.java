package org.vaecf.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
  private static final int[] NONE = {};

  @Test
  void selectsBestFirst() {
    float[] scores = {0.1f, 0.9f, 0.5f, 0.7f, -3f};
    assertThat(new TopK(3).select(scores, NONE)).containsExactly(1, 3, 2);
    assertThat(new TopK(1).select(scores, NONE)).containsExactly(1);
  }

  @Test
  void skipsExcludedItems() {
    float[] scores = {0.1f, 0.9f, 0.5f, 0.7f, -3f};
    // the two best items are the user's fold-in items
    assertThat(new TopK(3).select(scores, new int[] {1, 3})).containsExactly(2, 0, 4);
    // excluding the first and last item
    assertThat(new TopK(5).select(scores, new int[] {0, 4})).containsExactly(1, 3, 2);
  }

  @Test
  void equalScoresRankTheLowerItemFirst() {
    float[] scores = {0.5f, 1f, 0.5f, 1f, 0.5f, 0.0f, -0.0f};
    assertThat(new TopK(7).select(scores, NONE)).containsExactly(1, 3, 0, 2, 4, 5, 6);
    // -0.0 and 0.0 are equal, so the index decides either way round
    assertThat(new TopK(2).select(new float[] {-0.0f, 0.0f}, NONE)).containsExactly(0, 1);
    assertThat(new TopK(2).select(new float[] {0.0f, -0.0f}, NONE)).containsExactly(0, 1);
    // a cut through a tie keeps the lower indexes
    assertThat(new TopK(2).select(new float[] {2f, 2f, 2f, 2f}, NONE)).containsExactly(0, 1);
  }

  @Test
  void nanRanksBelowEverythingIncludingMinusInfinity() {
    float nan = Float.NaN;
    float[] scores = {nan, Float.NEGATIVE_INFINITY, 0f, nan, Float.POSITIVE_INFINITY};
    assertThat(new TopK(5).select(scores, NONE)).containsExactly(4, 2, 1, 0, 3);
    assertThat(new TopK(3).select(scores, NONE)).containsExactly(4, 2, 1);
    assertThat(new TopK(2).select(new float[] {nan, nan, nan}, NONE)).containsExactly(0, 1);
  }

  @Test
  void returnsEverythingAvailableWhenKIsLarger() {
    float[] scores = {0.3f, 0.1f, 0.2f};
    assertThat(new TopK(10).select(scores, NONE)).containsExactly(0, 2, 1);
    assertThat(new TopK(10).select(scores, new int[] {0})).containsExactly(2, 1);
    assertThat(new TopK(10).select(scores, new int[] {0, 1, 2})).isEmpty();
    assertThat(new TopK(10).select(new float[0], NONE)).isEmpty();
  }

  @Test
  void readsARowOfAFloatBufferAtAnOffsetWithoutMovingIt() {
    FloatBuffer buffer = FloatBuffer.wrap(new float[] {9f, 9f, 0.2f, 0.8f, 0.5f, 9f});
    int[] out = new int[3];
    int n = new TopK(3).select(buffer, 2, 3, new int[] {7, 1, 9}, 1, 2, out); // exclude item 1 only
    assertThat(n).isEqualTo(2);
    assertThat(Arrays.copyOf(out, n)).containsExactly(2, 0);
    assertThat(buffer.position()).isZero();
  }

  @Test
  void equalsAFullSortOnRandomRows() {
    Random random = new Random(42);
    TopK[] selectors = {new TopK(1), new TopK(5), new TopK(37), new TopK(300)};
    for (int trial = 0; trial < 300; trial++) {
      int items = 1 + random.nextInt(250);
      float[] scores = new float[items];
      for (int i = 0; i < items; i++) {
        // few distinct values force ties; occasional NaN and infinities
        int kind = random.nextInt(40);
        scores[i] = kind == 0 ? Float.NaN
            : kind == 1 ? Float.NEGATIVE_INFINITY
            : kind == 2 ? Float.POSITIVE_INFINITY
            : trial % 2 == 0 ? random.nextInt(8) : (float) random.nextGaussian();
      }
      int[] excluded = IntStream.range(0, items).filter(i -> random.nextInt(5) == 0).toArray();
      int[] expected = fullSortOrder(scores, excluded);

      // the same row inside a direct buffer, at an offset, as the engine hands it over
      int offset = random.nextInt(10);
      FloatBuffer direct = ByteBuffer.allocateDirect((offset + items) * Float.BYTES)
          .order(ByteOrder.nativeOrder()).asFloatBuffer();
      direct.position(offset);
      direct.put(scores);
      direct.clear();

      for (TopK topK : selectors) {
        int[] want = Arrays.copyOf(expected, Math.min(topK.k(), expected.length));
        assertThat(topK.select(scores, excluded)).as("trial %d k %d", trial, topK.k()).containsExactly(want);
        int[] out = new int[topK.k()];
        int n = topK.select(direct, offset, items, excluded, 0, excluded.length, out);
        assertThat(Arrays.copyOf(out, n)).as("buffer trial %d k %d", trial, topK.k()).containsExactly(want);
      }
    }
  }

  @Test
  void longRowsThroughTheSampledThresholdEqualAFullSort() {
    // rows long enough for the threshold filter; histories excluded are given the highest scores (as fold-in items
    // get), ties and NaNs force the fallback now and then, and both paths must agree with the full sort
    Random random = new Random(7);
    TopK[] selectors = {new TopK(1), new TopK(10), new TopK(100)};
    for (int trial = 0; trial < 60; trial++) {
      int items = 2048 + random.nextInt(30_000);
      float[] scores = new float[items];
      int style = trial % 4;
      for (int i = 0; i < items; i++) {
        scores[i] = switch (style) {
          case 0 -> (float) random.nextGaussian();
          case 1 -> random.nextInt(50); // many ties
          case 2 -> random.nextInt(200) == 0 ? Float.NaN : (float) (random.nextGaussian() * 3 - 20);
          default -> i < items / 2 ? -1e30f : (float) Math.exp(random.nextGaussian()); // skewed halves
        };
      }
      int[] excluded = IntStream.range(0, items).filter(i -> random.nextInt(40) == 0).toArray();
      for (int item : excluded) {
        if (random.nextBoolean()) {
          scores[item] = 100f + random.nextFloat();
        }
      }
      int[] expected = fullSortOrder(scores, excluded);
      for (TopK topK : selectors) {
        int[] want = Arrays.copyOf(expected, Math.min(topK.k(), expected.length));
        assertThat(topK.select(scores, excluded)).as("trial %d k %d", trial, topK.k()).containsExactly(want);
      }
    }
  }

  @Test
  void theFilterServesTypicalRowsWithoutFallingBack() {
    // Gaussian logits over 20,108 items, a history of 5–500 items excluded that scores highest (as fold-in items do)
    Random random = new Random(11);
    for (int k : new int[] {10, 100}) {
      TopK topK = new TopK(k);
      int filtered = 0;
      for (int trial = 0; trial < 100; trial++) {
        float[] scores = new float[20_108];
        for (int i = 0; i < scores.length; i++) {
          scores[i] = (float) random.nextGaussian() * 2;
        }
        int[] history = random.ints(5 + random.nextInt(496), 0, scores.length).sorted().distinct().toArray();
        for (int item : history) {
          scores[item] += 6;
        }
        int[] chosen = topK.select(scores, history);
        assertThat(chosen).containsExactly(Arrays.copyOf(fullSortOrder(scores, history), k));
        filtered += topK.lastSelectionFiltered() ? 1 : 0;
      }
      assertThat(filtered).as("k = %d", k).isGreaterThanOrEqualTo(98);
    }
  }

  /** Reference order: sort every non-excluded item by the documented order. */
  private static int[] fullSortOrder(float[] scores, int[] excluded) {
    Comparator<Integer> order = Comparator
        .comparing((Integer i) -> Float.isNaN(scores[i])) // NaN last
        .thenComparing(i -> Float.isNaN(scores[i]) ? 0.0 : -(double) scores[i]) // then higher first (-0 == 0)
        .thenComparing(i -> i);
    return IntStream.range(0, scores.length)
        .filter(i -> Arrays.binarySearch(excluded, i) < 0)
        .boxed()
        .sorted(order)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new TopK(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be > 0, got 0");
    float[] scores = {1f, 2f, 3f};
    assertThatThrownBy(() -> new TopK(2).select(scores, new int[] {2, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> new TopK(2).select(scores, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> new TopK(2).select(scores, new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in [0, 3)");
    assertThatThrownBy(() -> new TopK(2).select(scores, 0, 3, NONE, 0, 0, new int[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("out has room for 1 items but 2 are selected");
    assertThatThrownBy(() -> new TopK(2).select(scores, 1, 3, NONE, 0, 0, new int[2]))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
