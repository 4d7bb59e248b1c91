package org.vaecf.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The packed right operand of a service's output product: the same numbers as the plain sum, split any way. */
class ColumnPanelsTest {
  private static final int DEPTH = 23;

  private static Matrix random(int rows, int cols, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < rows * cols; i++) {
      m.buffer().put(i, (float) random.nextDouble(-1, 1));
    }
    return m;
  }

  private static float[] randomRows(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = new float[rows * DEPTH];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-2, 2);
    }
    return a;
  }

  /** {@code addend + a · matrix}, each entry one fused multiply-add per term in the order of depth. */
  private static float expected(float[] a, int row, Matrix matrix, Matrix addend, int col) {
    float sum = addend.get(0, col);
    for (int k = 0; k < DEPTH; k++) {
      sum = Math.fma(matrix.get(k, col), a[row * DEPTH + k], sum);
    }
    return sum;
  }

  @Test
  void theProductIsTheFusedSumOverEveryColumnIncludingANarrowLastPanel() {
    int width = Kernels.best().panelWidth();
    int columns = 3 * width + 5; // the last panel has 5 columns
    Matrix matrix = random(DEPTH, columns, 1);
    Matrix addend = random(1, columns, 2);
    ColumnPanels panels = ColumnPanels.pack(matrix, addend);
    assertThat(panels.panels()).isEqualTo(4);
    assertThat(panels.columns()).isEqualTo(columns);
    assertThat(panels.depth()).isEqualTo(DEPTH);
    for (int rows : new int[] {1, 3, 8, 11}) {
      float[] a = randomRows(rows, 3 + rows);
      float[] out = new float[rows * columns];
      panels.multiply(a, rows, out, 0, panels.panels());
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++) {
          assertThat(out[r * columns + c]).as("%d rows: (%d, %d)", rows, r, c)
              .isEqualTo(expected(a, r, matrix, addend, c));
        }
      }
    }
  }

  @Test
  void aRowsScoresAreTheSameAloneInABatchAndSplitOverPanelRanges() {
    int width = Kernels.best().panelWidth();
    int columns = 5 * width + 1;
    ColumnPanels panels = ColumnPanels.pack(random(DEPTH, columns, 4), random(1, columns, 5));
    int rows = 13;
    float[] a = randomRows(rows, 6);
    float[] whole = new float[rows * columns];
    panels.multiply(a, rows, whole, 0, panels.panels());

    float[] split = new float[rows * columns];
    panels.multiply(a, rows, split, 3, panels.panels());
    panels.multiply(a, rows, split, 0, 1);
    panels.multiply(a, rows, split, 1, 3);
    assertThat(split).isEqualTo(whole);

    for (int r = 0; r < rows; r++) {
      float[] alone = new float[columns];
      panels.multiply(Arrays.copyOfRange(a, r * DEPTH, (r + 1) * DEPTH), 1, alone, 0, panels.panels());
      assertThat(alone).as("row %d alone", r).isEqualTo(Arrays.copyOfRange(whole, r * columns, (r + 1) * columns));
    }
  }

  @Test
  void columnsOutsideThePanelRangeAreLeftAlone() {
    int width = Kernels.best().panelWidth();
    int columns = 2 * width;
    ColumnPanels panels = ColumnPanels.pack(random(DEPTH, columns, 7), random(1, columns, 8));
    float[] out = new float[2 * columns];
    Arrays.fill(out, -7f);
    panels.multiply(randomRows(2, 9), 2, out, 1, 2);
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < width; c++) {
        assertThat(out[r * columns + c]).isEqualTo(-7f);
      }
      assertThat(out[r * columns + width]).isNotEqualTo(-7f);
    }
  }

  @Test
  void thePackedCopyDoesNotFollowLaterChangesOfTheMatrix() {
    Matrix matrix = random(DEPTH, 40, 10);
    Matrix addend = random(1, 40, 11);
    ColumnPanels panels = ColumnPanels.pack(matrix, addend);
    float[] a = randomRows(1, 12);
    float[] before = new float[40];
    panels.multiply(a, 1, before, 0, panels.panels());
    matrix.fill(0f);
    addend.close();
    float[] after = new float[40];
    panels.multiply(a, 1, after, 0, panels.panels());
    assertThat(after).isEqualTo(before);
  }

  @Test
  void badShapesAndRangesAreRefusedWithTheirSizes() {
    Matrix matrix = random(DEPTH, 40, 13);
    assertThatThrownBy(() -> ColumnPanels.pack(matrix, random(1, 39, 14)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1x39")
        .hasMessageContaining("1x40");
    ColumnPanels panels = ColumnPanels.pack(matrix, random(1, 40, 15));
    assertThatThrownBy(() -> panels.multiply(new float[DEPTH], 1, new float[40], 0, panels.panels() + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> panels.multiply(new float[DEPTH], 2, new float[80], 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 rows");
    assertThat(ColumnPanels.fits(600, 20_108)).isTrue();
    assertThat(ColumnPanels.fits(600, 5_000_000)).isFalse();
  }
}
