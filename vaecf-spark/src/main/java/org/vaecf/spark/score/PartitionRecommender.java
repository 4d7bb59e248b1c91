package org.vaecf.spark.score;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.spark.ColdStartStrategy;
import scala.collection.immutable.ArraySeq;
import scala.collection.immutable.Seq;

/**
 * Recommends for every row of a partition: reads up to {@code blockSize} histories, scores them in one
 * {@link BlockScorer} call, emits their rows in input order, and moves on, so a partition of any size needs the
 * memory of one block. Rows whose history has no known item are handled by the {@link ColdStartStrategy}.
 *
 * <p>The model arrives through a broadcast, read once per task; the task borrows a pooled scorer from it and returns
 * it when the task completes.
 */
public final class PartitionRecommender implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Seq<Row> NONE = ArraySeq.unsafeWrapArray(new Row[0]);

  private final Broadcast<BroadcastModel> model;
  private final HistoryReader histories;
  private final OutputRow output;
  private final int k;
  private final int blockSize;
  private final ColdStartStrategy coldStart;

  /**
   * @param model the broadcast model
   * @param histories reads each row's history
   * @param output builds each output row
   * @param k items per row, {@code >= 1}
   * @param blockSize rows per matrix product, {@code >= 1}
   * @param coldStart what rows without a known item get
   */
  public PartitionRecommender(Broadcast<BroadcastModel> model, HistoryReader histories, OutputRow output, int k,
      int blockSize, ColdStartStrategy coldStart) {
    if (k < 1 || blockSize < 1) {
      throw new IllegalArgumentException("k and blockSize must be >= 1, got " + k + " and " + blockSize);
    }
    this.model = Objects.requireNonNull(model, "model");
    this.histories = Objects.requireNonNull(histories, "histories");
    this.output = Objects.requireNonNull(output, "output");
    this.k = k;
    this.blockSize = blockSize;
    this.coldStart = Objects.requireNonNull(coldStart, "coldStart");
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Blocks(model.value(), rows);
  }

  /** The output of one partition, produced a block at a time. */
  private final class Blocks implements Iterator<Row> {
    private final BroadcastModel broadcast;
    private final IdIndex items;
    private final Iterator<Row> input;
    private final List<Row> ready = new ArrayList<>();
    private int next;
    private BlockScorer scorer;

    Blocks(BroadcastModel broadcast, Iterator<Row> input) {
      this.broadcast = broadcast;
      this.items = broadcast.model().items();
      this.input = input;
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> giveBack());
      }
    }

    @Override
    public boolean hasNext() {
      while (next == ready.size()) {
        if (!input.hasNext()) {
          giveBack();
          return false;
        }
        fill();
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    /** Reads rows until a block is full or the input ends, scores them, and queues their output rows. */
    private void fill() {
      ready.clear();
      next = 0;
      List<Row> rows = new ArrayList<>();
      List<int[]> scored = new ArrayList<>();
      // -1: the row is a cold start given an empty list; otherwise its position in the block.
      List<Integer> slots = new ArrayList<>();
      while (scored.size() < blockSize && input.hasNext()) {
        Row row = input.next();
        int[] history = histories.history(row, items);
        if (history.length == 0 && coldStart != ColdStartStrategy.GENERIC) {
          if (coldStart == ColdStartStrategy.EMPTY) {
            rows.add(row);
            slots.add(-1);
          }
          continue;
        }
        rows.add(row);
        slots.add(scored.size());
        scored.add(history);
      }
      BlockScorer.Ranked[] ranked = scored.isEmpty() ? new BlockScorer.Ranked[0] : score(scored);
      for (int i = 0; i < rows.size(); i++) {
        int slot = slots.get(i);
        ready.add(output.build(rows.get(i), slot < 0 ? NONE : recommendations(ranked[slot])));
      }
    }

    private BlockScorer.Ranked[] score(List<int[]> block) {
      if (scorer == null) {
        scorer = broadcast.borrow(blockSize);
      }
      CsrMatrix.Builder matrix = new CsrMatrix.Builder(broadcast.items());
      for (int[] history : block) {
        matrix.addRow(history);
      }
      return scorer.recommend(matrix.build(), k);
    }

    private Seq<Row> recommendations(BlockScorer.Ranked ranked) {
      Row[] structs = new Row[ranked.items().length];
      for (int j = 0; j < structs.length; j++) {
        structs[j] = RowFactory.create(broadcast.typedItem(ranked.items()[j]), ranked.scores()[j]);
      }
      // Spark's row encoder takes arrays as Scala sequences; this one wraps the array without copying it.
      return ArraySeq.unsafeWrapArray(structs);
    }

    private void giveBack() {
      if (scorer != null) {
        broadcast.release(scorer);
        scorer = null;
      }
    }
  }
}
