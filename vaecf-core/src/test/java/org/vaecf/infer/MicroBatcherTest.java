package org.vaecf.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;

/**
 * What callers see when scoring fails: a failure confined to one batch (a {@link RuntimeException}) reaches that
 * batch's callers and the batcher serves on; anything that ends a scoring loop (an {@link Error}, a throwing
 * observer) fails the callers waiting for it at once and every later one, and never leaves one waiting. Every wait
 * here has a timeout: before this behaviour, such callers waited forever.
 */
class MicroBatcherTest {
  private static final int ITEMS = 10;
  /** Far beyond what any step here takes; a caller still waiting then is a caller that would wait forever. */
  private static final Duration PROMPTLY = Duration.ofSeconds(10);

  /**
   * A scorer of {@value #ITEMS} items that gives a user whose first history item is {@code h} the logits
   * {@code 100h + j} for item {@code j}, so each caller can tell its own row. Before each product it runs
   * {@link #before}, which a test sets to throw or to block.
   */
  private static final class FakeScorer implements MicroBatcher.Scorer {
    private final int capacity;
    final AtomicInteger products = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicReference<Thread> thread = new AtomicReference<>();
    volatile Runnable before = () -> {};

    FakeScorer(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public int items() {
      return ITEMS;
    }

    @Override
    public FloatBuffer score(CsrMatrix users) {
      thread.set(Thread.currentThread());
      products.incrementAndGet();
      before.run();
      FloatBuffer logits = FloatBuffer.allocate(users.rows() * ITEMS);
      for (int u = 0; u < users.rows(); u++) {
        int first = users.row(u)[0];
        for (int j = 0; j < ITEMS; j++) {
          logits.put(u * ITEMS + j, 100f * first + j);
        }
      }
      return logits;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  private static RecommenderSettings settings(int maxBatch) {
    return RecommenderSettings.defaults().withMaxBatch(maxBatch);
  }

  /** The row {@link FakeScorer} gives a user whose first item is {@code first}. */
  private static float[] row(int first) {
    float[] row = new float[ITEMS];
    for (int j = 0; j < ITEMS; j++) {
      row[j] = 100f * first + j;
    }
    return row;
  }

  private static List<float[]> scoreOne(MicroBatcher batcher, int first) {
    return batcher.score(List.<int[]>of(new int[] {first}));
  }

  @Test
  void anOutOfMemoryErrorWhileScoringFailsTheCallerAndEveryLaterRequestAtOnce() {
    FakeScorer scorer = new FakeScorer(4);
    OutOfMemoryError error = new OutOfMemoryError("test");
    scorer.before = () -> {
      throw error;
    };
    MicroBatcher batcher = new MicroBatcher(List.of(scorer), settings(4));

    assertTimeoutPreemptively(PROMPTLY, () -> {
      assertThatThrownBy(() -> scoreOne(batcher, 1))
          .isInstanceOf(RecommenderFailedException.class)
          .hasMessage("the recommender has stopped scoring and refuses every request: a scoring thread failed with"
              + " java.lang.OutOfMemoryError: test")
          .hasCause(error);
      assertThat(batcher.failure()).containsSame(error);

      // later requests are refused without being scored: the failed scorer is not tried again
      assertThatThrownBy(() -> scoreOne(batcher, 2)).isInstanceOf(RecommenderFailedException.class).hasCause(error);
      assertThat(scorer.products).hasValue(1);

      batcher.close();
    });
    // not closed: an Error may have ended the loop while a worker thread was still writing into the scorer's
    // matrices, so a failed batcher leaves its scorers to the collector
    assertThat(scorer.closes).as("a failed batcher does not free its scorers itself").hasValue(0);
    assertThatThrownBy(() -> scoreOne(batcher, 3)).isInstanceOf(RecommenderFailedException.class);
  }

  /**
   * A batch of capacity one is scored while a second caller waits in the queue behind it; the product then throws an
   * {@link AssertionError}: the queued caller is refused too, not left to wait for a loop that has ended.
   */
  @Test
  void callersQueuedBehindAFailingBatchAreRefusedToo() throws Exception {
    FakeScorer scorer = new FakeScorer(1);
    CountDownLatch scoring = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    AssertionError error = new AssertionError("test");
    scorer.before = () -> {
      scoring.countDown();
      try {
        fail.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw error;
    };
    try (MicroBatcher batcher = new MicroBatcher(List.of(scorer), settings(1))) {
      AtomicReference<Throwable> first = new AtomicReference<>();
      AtomicReference<Throwable> queued = new AtomicReference<>();
      Thread firstCaller = caller(batcher, 1, first);
      firstCaller.start();
      assertThat(scoring.await(10, TimeUnit.SECONDS)).isTrue();
      Thread queuedCaller = caller(batcher, 2, queued);
      queuedCaller.start();
      // WAITING: past the queue, waiting for its job (the only place score() waits while the product is held)
      long deadline = System.nanoTime() + PROMPTLY.toNanos();
      while (queuedCaller.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(queuedCaller.getState()).isEqualTo(Thread.State.WAITING);

      fail.countDown();
      firstCaller.join(PROMPTLY.toMillis());
      queuedCaller.join(PROMPTLY.toMillis());

      assertThat(firstCaller.isAlive()).as("the first caller still waits").isFalse();
      assertThat(queuedCaller.isAlive()).as("the queued caller still waits").isFalse();
      assertThat(first.get()).isInstanceOf(RecommenderFailedException.class).hasCause(error);
      assertThat(queued.get()).isInstanceOf(RecommenderFailedException.class).hasCause(error);
      assertThat(scorer.products).as("the queued caller was refused, not scored").hasValue(1);
    }
  }

  /** A thread that asks for the row of {@code first} and keeps what it gets thrown. */
  private static Thread caller(MicroBatcher batcher, int first, AtomicReference<Throwable> thrown) {
    return new Thread(() -> {
      try {
        scoreOne(batcher, first);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
  }

  @Test
  void aRuntimeExceptionFailsOnlyItsBatchAndTheNextBatchIsServed() {
    FakeScorer scorer = new FakeScorer(4);
    IllegalArgumentException refusal = new IllegalArgumentException("bad row");
    AtomicInteger calls = new AtomicInteger();
    scorer.before = () -> {
      if (calls.getAndIncrement() == 0) {
        throw refusal;
      }
    };
    try (MicroBatcher batcher = new MicroBatcher(List.of(scorer), settings(4))) {
      assertTimeoutPreemptively(PROMPTLY, () -> {
        assertThatThrownBy(() -> scoreOne(batcher, 1)).isSameAs(refusal);
        assertThat(scoreOne(batcher, 2)).containsExactly(row(2));
        assertThat(batcher.score(List.of(new int[] {0}, new int[] {5}))).containsExactly(row(0), row(5));
      });
      assertThat(batcher.failure()).isEmpty();
    }
  }

  /**
   * An interrupt that comes neither from {@link MicroBatcher#close()} nor from a failing loop must not end the
   * scoring loop: with one scorer nobody would be left to serve the queue.
   */
  @Test
  void aStrayInterruptOfTheScoringThreadDoesNotStopTheService() throws Exception {
    FakeScorer scorer = new FakeScorer(4);
    try (MicroBatcher batcher = new MicroBatcher(List.of(scorer), settings(4))) {
      assertThat(scoreOne(batcher, 1)).containsExactly(row(1));
      scorer.thread.get().interrupt();
      Thread.sleep(50); // lets the loop meet the interrupt in its wait for work

      assertTimeoutPreemptively(PROMPTLY, () -> assertThat(scoreOne(batcher, 2)).containsExactly(row(2)));
      assertThat(batcher.failure()).isEmpty();
    }
  }

  /** The observer runs on the scoring thread outside the product: its throwing must not strand the batch's callers. */
  @Test
  void anObserverThatThrowsStopsTheBatcherRatherThanStrandingItsCallers() {
    FakeScorer scorer = new FakeScorer(4);
    IllegalStateException bug = new IllegalStateException("observer bug");
    RecommenderSettings settings = settings(4).withObserver((users, nanos) -> {
      throw bug;
    });
    try (MicroBatcher batcher = new MicroBatcher(List.of(scorer), settings)) {
      assertTimeoutPreemptively(PROMPTLY, () -> {
        assertThatThrownBy(() -> scoreOne(batcher, 1)).isInstanceOf(RecommenderFailedException.class).hasCause(bug);
        assertThatThrownBy(() -> scoreOne(batcher, 2)).isInstanceOf(RecommenderFailedException.class).hasCause(bug);
      });
      assertThat(batcher.failure()).containsSame(bug);
    }
  }

  /**
   * Two scorers, one of which fails: from then on the healthy one scores nothing either, so the failure shows on
   * every request rather than on the requests that happen to reach the broken scorer.
   */
  @Test
  void withSeveralScorersOneFailureStopsThemAll() {
    FakeScorer healthy = new FakeScorer(1);
    FakeScorer broken = new FakeScorer(1);
    StackOverflowError error = new StackOverflowError("test");
    broken.before = () -> {
      throw error;
    };
    MicroBatcher batcher = new MicroBatcher(List.of(healthy, broken), settings(1));
    assertTimeoutPreemptively(PROMPTLY, () -> {
      // which scorer takes a request is up to the threads: ask until the broken one has had one
      List<float[]> served = new ArrayList<>();
      Throwable thrown = null;
      for (int attempt = 0; attempt < 10_000 && thrown == null; attempt++) {
        try {
          served.addAll(scoreOne(batcher, 7));
        } catch (RecommenderFailedException e) {
          thrown = e;
        }
      }
      assertThat(thrown).isInstanceOf(RecommenderFailedException.class).hasCause(error);
      assertThat(served).allSatisfy(logits -> assertThat(logits).containsExactly(row(7)));
      int scoredByHealthy = healthy.products.get();

      for (int i = 0; i < 20; i++) {
        assertThatThrownBy(() -> scoreOne(batcher, 8)).isInstanceOf(RecommenderFailedException.class).hasCause(error);
      }
      assertThat(healthy.products).hasValue(scoredByHealthy);

      batcher.close();
    });
    assertThat(healthy.closes).hasValue(0); // a failed batcher leaves them to the collector (see above)
    assertThat(broken.closes).hasValue(0);
  }

  @Test
  void closingStillRefusesWithTheClosedMessageWhenNothingFailed() {
    FakeScorer scorer = new FakeScorer(4);
    MicroBatcher batcher = new MicroBatcher(List.of(scorer), settings(4));
    assertThat(scoreOne(batcher, 3)).containsExactly(row(3));
    batcher.close();
    assertThatThrownBy(() -> scoreOne(batcher, 3))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("the recommender is closed");
    assertThat(batcher.failure()).isEmpty();
    assertThat(scorer.closes).hasValue(1);
  }
}
