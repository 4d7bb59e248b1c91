package org.vaecf.spark.score;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The scorers of one {@link BroadcastModel} on one JVM: the idle ones, kept for the block size they were made for, and
 * a count of those lent out. A scorer is closed only while it is idle, or when it comes back after the pool was
 * closed, never while a task holds it.
 *
 * <p><b>Bound.</b> Scorers alive (idle plus lent) never outnumber the most that were lent at once, which Spark keeps
 * at the executor's task slots. Idle scorers of several block sizes are kept side by side within that bound, so two
 * jobs with different block sizes reuse their own networks; only when a task needs a block size that has no idle
 * scorer and the bound is reached is the idle scorer returned longest ago closed to make room. Without the bound an
 * executor that is given many block sizes over its life would keep a set of networks for each, in native memory
 * nobody reclaims.
 *
 * <p>All state is guarded by the pool's monitor; building and closing scorers happen outside it, so one task
 * building a network does not hold up the others returning theirs.
 */
final class ScorerPool implements AutoCloseable {
  private final IntFunction<BlockScorer> factory;
  /** Idle scorers, the most recently returned first. */
  private final Deque<BlockScorer> idle = new ArrayDeque<>();
  /** Scorers lent and not yet returned, to refuse a scorer returned twice (it would be lent to two tasks at once). */
  private final Set<BlockScorer> lent = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Scorers lent plus those being built for a borrower. */
  private int out;
  private int mostOut;
  private boolean closed;

  /** @param factory builds a scorer for blocks of the given size */
  ScorerPool(IntFunction<BlockScorer> factory) {
    this.factory = factory;
  }

  /** An idle scorer made for {@code blockSize}, else a new one (closing an idle scorer if the bound demands). */
  BlockScorer borrow(int blockSize) {
    List<BlockScorer> evicted = new ArrayList<>();
    synchronized (this) {
      for (Iterator<BlockScorer> it = idle.iterator(); it.hasNext(); ) {
        BlockScorer scorer = it.next();
        if (scorer.capacity() == blockSize) {
          it.remove();
          lent.add(scorer);
          out++;
          return scorer;
        }
      }
      out++;
      mostOut = Math.max(mostOut, out);
      // No idle scorer here is made for blockSize, so whatever is evicted was made for another one.
      while (out + idle.size() > mostOut) {
        evicted.add(idle.removeLast());
      }
    }
    evicted.forEach(BlockScorer::close);
    BlockScorer made;
    try {
      made = factory.apply(blockSize);
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        out--;
      }
      throw e;
    }
    synchronized (this) {
      lent.add(made);
    }
    return made;
  }

  /**
   * Takes back a scorer from {@link #borrow}: idle for the next task, or closed if the pool is closed.
   *
   * @throws IllegalArgumentException if the scorer is not lent by this pool (never was, or already returned)
   */
  void release(BlockScorer scorer) {
    boolean keep;
    synchronized (this) {
      if (!lent.remove(scorer)) {
        throw new IllegalArgumentException("the scorer was not borrowed from this model, or was already returned");
      }
      out--;
      // A scorer its task closed is not lent again.
      keep = !closed && !scorer.isClosed();
      if (keep) {
        idle.addFirst(scorer);
      }
    }
    if (!keep) {
      scorer.close();
    }
  }

  /**
   * Closes the idle scorers now and each lent one when it comes back. The pool still lends afterwards, in case a task
   * reaches the model after this (Spark may close a broadcast value that tasks can still read, see
   * {@link BroadcastModel#close()}), but each scorer is built for its borrower and closed on its return.
   */
  @Override
  public void close() {
    List<BlockScorer> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(idle);
      idle.clear();
    }
    dropped.forEach(BlockScorer::close);
  }
}
