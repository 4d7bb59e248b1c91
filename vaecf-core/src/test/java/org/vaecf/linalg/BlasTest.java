package org.vaecf.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Products against a direct double-precision computation, for the sgemm path and the one-row sgemv path. */
class BlasTest {
  private static Matrix random(int rows, int cols, SplittableRandom random) {
    Matrix m = Matrix.zeros(rows, cols);
    for (int i = 0; i < rows * cols; i++) {
      m.buffer().put(i, (float) (random.nextDouble() * 2 - 1));
    }
    return m;
  }

  /** alpha · op(a) · op(b) + beta · c0, in double. */
  private static double expected(
      Matrix a, Matrix b, boolean transposeB, float alpha, float beta, float c0, int row, int col) {
    int k = a.cols();
    double sum = 0;
    for (int j = 0; j < k; j++) {
      double bj = transposeB ? b.get(col, j) : b.get(j, col);
      sum += (double) a.get(row, j) * bj;
    }
    return alpha * sum + beta * c0;
  }

  @Test
  void oneRowAndManyRowProductsAgreeWithTheDefinitionForBothLayoutsOfB() {
    SplittableRandom random = new SplittableRandom(3);
    int k = 37;
    int n = 53;
    for (int rows : new int[] {1, 2, 5}) {
      for (boolean transposeB : new boolean[] {false, true}) {
        Matrix a = random(rows, k, random);
        Matrix b = transposeB ? random(n, k, random) : random(k, n, random);
        Matrix c = Matrix.zeros(rows, n);
        c.fill(0.5f);
        Blas.gemm(false, transposeB, 2f, a, b, 3f, c);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < n; j++) {
            assertThat((double) c.get(r, j))
                .as("rows %d, transposeB %s, (%d, %d)", rows, transposeB, r, j)
                .isCloseTo(expected(a, b, transposeB, 2f, 3f, 0.5f, r, j), within(1e-4));
          }
        }
      }
    }
  }

  /** A lone row and the same row inside a batch agree to float rounding (they use different kernels). */
  @Test
  void aLoneRowMatchesTheSameRowInABatchToRounding() {
    SplittableRandom random = new SplittableRandom(4);
    Matrix batch = random(8, 600, random);
    Matrix weight = random(600, 3000, random);
    Matrix together = Matrix.zeros(8, 3000);
    Blas.gemm(false, false, 1f, batch, weight, 0f, together);
    Matrix alone = Matrix.zeros(1, 3000);
    Matrix row = Matrix.zeros(1, 600);
    for (int j = 0; j < 600; j++) {
      row.set(0, j, batch.get(5, j));
    }
    Blas.gemm(false, false, 1f, row, weight, 0f, alone);
    for (int j = 0; j < 3000; j++) {
      assertThat(alone.get(0, j)).isCloseTo(together.get(5, j), within(2e-4f));
    }
  }

  /**
   * A product split over threads (rows or columns, each a one-thread product) equals the same product made whole by
   * one thread to float rounding — OpenBLAS picks its kernel by size, so a part may sum in another order than the
   * whole — and is repeatable bit for bit, for every layout and for splits that are uneven and unaligned.
   */
  @Test
  void aProductSplitOverThreadsAgreesWithTheWholeProductAndRepeatsExactly() {
    SplittableRandom random = new SplittableRandom(5);
    int previous = Blas.threads();
    Blas.setThreads(1);
    try (Parallel parallel = new Parallel(3)) {
      int[][] shapes = {{97, 300, 1203}, {1203, 300, 97}, {300, 600, 300}};
      for (int[] shape : shapes) {
        int m = shape[0];
        int k = shape[1];
        int n = shape[2];
        for (boolean transposeA : new boolean[] {false, true}) {
          for (boolean transposeB : new boolean[] {false, true}) {
            Matrix a = transposeA ? random(k, m, random) : random(m, k, random);
            Matrix b = transposeB ? random(n, k, random) : random(k, n, random);
            Matrix whole = random(m, n, random);
            Matrix split = Matrix.of(m, n, whole.toArray());
            Matrix again = Matrix.of(m, n, whole.toArray());
            Blas.gemm(transposeA, transposeB, 1.5f, a, b, 0.5f, whole);
            Blas.gemm(parallel, transposeA, transposeB, 1.5f, a, b, 0.5f, split);
            Blas.gemm(parallel, transposeA, transposeB, 1.5f, a, b, 0.5f, again);
            String what = m + "x" + k + "x" + n + ", transposeA " + transposeA + ", transposeB " + transposeB;
            float[] expected = whole.toArray();
            float[] actual = split.toArray();
            for (int i = 0; i < expected.length; i++) {
              if (Math.abs(actual[i] - expected[i]) > 1e-5f * Math.max(1f, Math.abs(expected[i]))) {
                throw new AssertionError(shape + ": entry " + i + " is " + actual[i] + ", whole " + expected[i]);
              }
            }
            assertThat(java.util.Arrays.equals(again.toArray(), actual)).as(what + ": repeatable").isTrue();
          }
        }
      }
    } finally {
      Blas.setThreads(previous);
    }
  }

  /**
   * Setting OpenBLAS's thread count takes effect, also when it repeats the current count (which skips the native call)
   * and when it changes back.
   */
  @Test
  void theLibraryRunningTheProductsIsNamedByItsFile() {
    String library = Blas.library();
    assertThat(library).as("the loaded OpenBLAS").isNotEmpty();
    assertThat(java.nio.file.Path.of(library)).exists();
    assertThat(java.nio.file.Path.of(library).getFileName().toString()).startsWith("libopenblas");
  }

  @Test
  void theThreadCountTakesEffectAndRepeatingItKeepsIt() {
    int previous = Blas.threads();
    try {
      Blas.setThreads(2);
      assertThat(Blas.threads()).isEqualTo(2);
      Blas.setThreads(2);
      assertThat(Blas.threads()).isEqualTo(2);
      Blas.setThreads(1);
      assertThat(Blas.threads()).isEqualTo(1);
      assertThatThrownBy(() -> Blas.setThreads(0)).isInstanceOf(IllegalArgumentException.class);
      assertThat(Blas.threads()).isEqualTo(1);
    } finally {
      Blas.setThreads(previous);
    }
  }

  /** Column ranges of a product, one row (sgemv) or several (sgemm), against the definition. */
  @Test
  void columnRangesOfAProductAgreeWithTheDefinition() {
    SplittableRandom random = new SplittableRandom(6);
    int k = 45;
    int n = 1_100;
    int[][] ranges = {{0, 512}, {512, 1024}, {1024, 1_100}};
    for (int rows : new int[] {1, 5}) {
      for (boolean transposeB : new boolean[] {false, true}) {
        Matrix a = random(rows, k, random);
        Matrix b = transposeB ? random(n, k, random) : random(k, n, random);
        Matrix c = Matrix.zeros(rows, n);
        c.fill(0.25f);
        for (int[] range : ranges) {
          Blas.gemmColumnRange(false, transposeB, 2f, a, b, 1f, c, range[0], range[1]);
        }
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < n; j++) {
            assertThat((double) c.get(r, j))
                .as("rows %d, transposeB %s, (%d, %d)", rows, transposeB, r, j)
                .isCloseTo(expected(a, b, transposeB, 2f, 1f, 0.25f, r, j), within(1e-4));
          }
        }
      }
    }
  }

  /** A product split along its inner dimension: the partial products add up to the whole one. */
  @Test
  void innerRangesOfAProductAddUpToTheProduct() {
    SplittableRandom random = new SplittableRandom(7);
    int rows = 6;
    int k = 1_030;
    int n = 41;
    int[][] ranges = {{0, 512}, {512, 512}, {512, 1_030}};
    for (boolean transposeA : new boolean[] {false, true}) {
      for (boolean transposeB : new boolean[] {false, true}) {
        Matrix a = transposeA ? random(k, rows, random) : random(rows, k, random);
        Matrix b = transposeB ? random(n, k, random) : random(k, n, random);
        Matrix plainA = transposeA ? transpose(a) : a;
        Matrix c = Matrix.zeros(rows, n);
        c.fill(0.25f);
        float beta = 2f; // the first range scales what c held, the others add
        for (int[] range : ranges) {
          Blas.gemmInnerRange(transposeA, transposeB, 3f, a, b, beta, c, range[0], range[1]);
          beta = 1f;
        }
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < n; j++) {
            assertThat((double) c.get(r, j))
                .as("transposeA %s, transposeB %s, (%d, %d)", transposeA, transposeB, r, j)
                .isCloseTo(expected(plainA, b, transposeB, 3f, 2f, 0.25f, r, j), within(1e-3));
          }
        }
      }
    }
    Matrix c = Matrix.zeros(2, 3);
    c.fill(5f);
    Blas.gemmInnerRange(false, false, 1f, Matrix.zeros(2, 4), Matrix.zeros(4, 3), 0f, c, 2, 2);
    assertThat(c.toArray()).as("an empty range with beta 0 clears c").containsOnly(0f);
  }

  @Test
  void axpyAddsAMultipleOfOneMatrixToAnother() {
    Matrix x = Matrix.of(2, 2, new float[] {1, 2, 3, 4});
    Matrix y = Matrix.of(2, 2, new float[] {10, 20, 30, 40});
    Blas.axpy(0.5f, x, y);
    assertThat(y.toArray()).containsExactly(10.5f, 21f, 31.5f, 42f);
  }

  private static Matrix transpose(Matrix m) {
    Matrix t = Matrix.zeros(m.cols(), m.rows());
    for (int r = 0; r < m.rows(); r++) {
      for (int c = 0; c < m.cols(); c++) {
        t.set(c, r, m.get(r, c));
      }
    }
    return t;
  }
}
