package org.vaecf.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** {@link Matrix#close()}: direct memory is given back at once, and a closed matrix refuses use instead of crashing. */
class MatrixCloseTest {
  @Test
  void closingGivesTheDirectMemoryBackAtOnce() {
    assertThat(DirectMemory.freesAtOnce()).as("sun.misc.Unsafe.invokeCleaner is reachable").isTrue();
    long before = directBytes();
    Matrix small = Matrix.zeros(100, 200); // 80 kB: a JVM direct buffer
    assertThat(directBytes() - before).isGreaterThanOrEqualTo(80_000L);
    small.close();
    assertThat(directBytes() - before).isLessThan(80_000L);

    long hugeBefore = Matrix.hugePageBytes();
    Matrix big = Matrix.zeros(1000, 4000); // 16 MB: on huge pages, outside the JVM's pool
    assertThat(Matrix.hugePageBytes() - hugeBefore).isGreaterThanOrEqualTo(16_000_000L);
    big.close();
    assertThat(Matrix.hugePageBytes()).isEqualTo(hugeBefore);
  }

  /**
   * A buffer taken from a matrix keeps the matrix's memory alive when the matrix itself is dropped unclosed (the
   * collector frees the memory of an unclosed matrix only once no view of it is left).
   */
  @Test
  void aBufferOfADroppedMatrixStaysValid() throws InterruptedException {
    long before = Matrix.hugePageBytes();
    java.nio.FloatBuffer values = Matrix.zeros(500, 600).buffer(); // the matrix itself is unreachable at once
    values.put(299_999, 7f);
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(Matrix.hugePageBytes() - before).isGreaterThanOrEqualTo(1_200_000L);
    float sum = 0;
    for (int i = 0; i < values.capacity(); i++) {
      sum += values.get(i);
    }
    assertThat(sum).isEqualTo(7f);
  }

  /**
   * Matrices from {@link DirectMemory#HUGE_PAGE_MIN_BYTES} on start on a 2 MB boundary, smaller ones on a cache line;
   * both kinds start zeroed and read and write the same memory through the buffer, the bytes and the BLAS pointer.
   */
  @Test
  void matricesAreAlignedZeroedAndOneMemoryThroughEveryView() {
    int[][] shapes = {{3, 5}, {100, 200}, {500, 600}, {600, 2048}};
    for (int[] shape : shapes) {
      try (Matrix m = Matrix.zeros(shape[0], shape[1])) {
        long bytes = (long) m.size() * Float.BYTES;
        long alignment = bytes >= DirectMemory.HUGE_PAGE_MIN_BYTES ? DirectMemory.HUGE_PAGE_BYTES : 64;
        assertThat(m.pointer().address() % alignment).as("%dx%d start", shape[0], shape[1]).isZero();
        assertThat(m.buffer().capacity()).isEqualTo(m.size());
        assertThat(m.bytes().capacity()).isEqualTo(bytes);
        assertThat(m.toArray()).containsOnly(0f);
        m.buffer().put(0, 3f);
        m.buffer().put(m.size() - 1, 5f);
        assertThat(m.bytes().getFloat(0)).isEqualTo(3f);
        assertThat(m.bytes().getFloat((m.size() - 1) * Float.BYTES)).isEqualTo(5f);
        assertThat(m.pointer().get(m.size() - 1)).isEqualTo(5f);
      }
    }
  }

  @Test
  void aClosedMatrixFailsWithAnExceptionAndClosingTwiceDoesNothing() {
    Matrix m = Matrix.of(2, 3, new float[] {1, 2, 3, 4, 5, 6});
    m.close();
    m.close();
    assertThat(m.buffer().capacity()).isZero();
    assertThatThrownBy(() -> m.buffer().get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(m::pointer).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> Blas.gemm(false, false, 1f, m, m, 0f, m)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void closingAHeapMatrixLeavesItUsable() {
    Matrix m = Matrix.heap(2, 2);
    m.set(1, 1, 7f);
    m.close();
    assertThat(m.get(1, 1)).isEqualTo(7f);
  }

  private static long directBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }
}
