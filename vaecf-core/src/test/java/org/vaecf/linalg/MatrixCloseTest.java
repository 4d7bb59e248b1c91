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
    Matrix big = Matrix.zeros(1000, 4000); // 16 MB
    assertThat(directBytes() - before).isGreaterThanOrEqualTo(16_000_000L);
    big.close();
    assertThat(directBytes() - before).isLessThan(1_000_000L);
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
