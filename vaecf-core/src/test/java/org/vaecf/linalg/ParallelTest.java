package org.vaecf.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The two ways of splitting work: contiguous chunks, and tasks handed out one at a time. */
class ParallelTest {
  @Test
  void everyTaskRunsExactlyOnceOnAThreadOfTheParallel() {
    try (Parallel parallel = new Parallel(3)) {
      for (int tasks : new int[] {0, 1, 2, 5, 200}) {
        AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, tasks));
        parallel.forEachTask(
            tasks,
            (worker, task) -> {
              assertThat(worker).isBetween(0, 2);
              runs.incrementAndGet(task);
            });
        for (int task = 0; task < tasks; task++) {
          assertThat(runs.get(task)).as("task %d of %d", task, tasks).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void aBusyWorkerDoesNotHoldUpTheTasks() throws Exception {
    try (Parallel parallel = new Parallel(2)) {
      // the only worker is kept busy, as a descheduled thread would be: the caller must run every task itself
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch blocked = new CountDownLatch(1);
      Thread occupier =
          new Thread(
              () ->
                  parallel.forChunks(
                      2,
                      1,
                      (chunk, from, to) -> {
                        if (chunk == 1) {
                          blocked.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }
                      }));
      occupier.start();
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      AtomicIntegerArray runs = new AtomicIntegerArray(50);
      // completes while the worker is still blocked (a call that waited for the worker would never return)
      CompletableFuture.runAsync(() -> parallel.forEachTask(50, (worker, task) -> runs.incrementAndGet(task)))
          .get(30, TimeUnit.SECONDS);
      for (int task = 0; task < 50; task++) {
        assertThat(runs.get(task)).isEqualTo(1);
      }
      release.countDown();
      occupier.join(10_000);
    }
  }

  @Test
  void aFailingTaskFailsTheCall() {
    try (Parallel parallel = new Parallel(2)) {
      assertThatThrownBy(
              () ->
                  parallel.forEachTask(
                      20,
                      (worker, task) -> {
                        if (task == 7) {
                          throw new IllegalArgumentException("task 7 failed");
                        }
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("task 7 failed");
    }
  }

  @Test
  void workersThatCannotBeHandedWorkStillLeaveEveryTaskRunOrCounted() {
    // A closed pool refuses new work, as it would when a task cannot be allocated: no loop may then hang, and no
    // loop may return while work it handed out still runs.
    Parallel closed = new Parallel(3);
    closed.close();
    AtomicIntegerArray runs = new AtomicIntegerArray(7);
    assertThatThrownBy(() -> closed.forEachTask(7, (worker, task) -> runs.incrementAndGet(task)))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    for (int task = 0; task < 7; task++) {
      assertThat(runs.get(task)).as("task %d ran on the caller", task).isEqualTo(1);
    }
    AtomicIntegerArray chunks = new AtomicIntegerArray(3);
    assertThatThrownBy(() -> closed.forChunks(30, 1, (chunk, from, to) -> chunks.incrementAndGet(chunk)))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(chunks.get(0)).as("the caller's own chunk").isEqualTo(1);
  }

  @Test
  void theSharedParallelIsOneAndOutlivesClose() {
    Parallel shared = Parallel.shared(2);
    assertThat(Parallel.shared(2)).isSameAs(shared);
    shared.close();
    int[] sum = new int[1];
    shared.forChunks(4, 1, (chunk, from, to) -> {
      synchronized (sum) {
        sum[0] += to - from;
      }
    });
    assertThat(sum[0]).isEqualTo(4);
  }

  @Test
  void chunksCoverTheRangeOnceWithOrWithoutSpinning() {
    for (Duration spin : new Duration[] {Duration.ZERO, Duration.ofMillis(2)}) {
      try (Parallel parallel = new Parallel(3, spin)) {
        for (int round = 0; round < 200; round++) {
          int n = 1 + round % 17;
          AtomicIntegerArray covered = new AtomicIntegerArray(n);
          AtomicIntegerArray chunks = new AtomicIntegerArray(3);
          parallel.forChunks(
              n,
              1,
              (chunk, from, to) -> {
                chunks.incrementAndGet(chunk);
                for (int i = from; i < to; i++) {
                  covered.incrementAndGet(i);
                }
              });
          for (int i = 0; i < n; i++) {
            assertThat(covered.get(i)).as("spin %s, n %d, index %d", spin, n, i).isEqualTo(1);
          }
          for (int c = 0; c < 3; c++) {
            assertThat(chunks.get(c)).as("chunk %d ran", c).isLessThanOrEqualTo(1);
          }
        }
      }
    }
  }

  @Test
  void aFailingChunkFailsTheCallOnlyAfterTheOtherChunksFinished() {
    for (Duration spin : new Duration[] {Duration.ZERO, Duration.ofMillis(1)}) {
      try (Parallel parallel = new Parallel(2, spin)) {
        AtomicBoolean otherFinished = new AtomicBoolean();
        assertThatThrownBy(
                () ->
                    parallel.forChunks(
                        2,
                        1,
                        (chunk, from, to) -> {
                          if (chunk == 0) {
                            throw new IllegalStateException("chunk 0 failed");
                          }
                          try {
                            Thread.sleep(50);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          otherFinished.set(true);
                        }))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("chunk 0 failed");
        // the caller's buffers are the chunks' output: the call returns only when no chunk still writes them
        assertThat(otherFinished).isTrue();
      }
    }
  }

  @Test
  void aNegativeSpinIsRefused() {
    assertThatThrownBy(() -> new Parallel(2, Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spin must be >= 0");
  }
}
