package org.vaecf.spark.prepare;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.SplitRandom;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.split.StrongGeneralizationSplitter;

/**
 * The one sequential step of the split, done on the driver over the held-out users only: each held-out user's
 * interactions are divided into fold-in and held-out items by the notebook's draws. The generator is reseeded for
 * each part (validation, test) and walks its users in groupby order, drawing {@code choice(n, (int) (p · n))}
 * positions for a user with at least {@value StrongGeneralizationSplitter#MIN_ROWS_TO_HOLD_OUT} interactions on
 * training items — what {@code StrongGeneralizationSplitter} does, so both give the same sets. Users are then listed
 * in permuted order.
 */
final class HeldOutDraw {
  private final StrongGeneralizationConfig config;
  private final int items;
  private long unseenInteractions;
  private int droppedUsers;

  HeldOutDraw(StrongGeneralizationConfig config, int items) {
    this.config = config;
    this.items = items;
  }

  /**
   * One held-out user as gathered from the cluster.
   *
   * @param rank place in groupby order
   * @param permuted place in the permuted order
   * @param user raw id
   * @param columns item columns of the user's interactions with training items, in log order
   * @param unseen interactions of the user with items outside the training item index
   */
  record User(long rank, int permuted, String user, int[] columns, int unseen) implements Serializable {}

  /** Draws the fold-in and held-out items of {@code users}, all of one part. */
  HeldOutSet draw(List<User> users) {
    List<User> inGroupbyOrder = new ArrayList<>(users);
    inGroupbyOrder.sort(Comparator.comparingLong(User::rank));
    SplitRandom rng = config.rng().create(config.seed());
    List<Drawn> drawn = new ArrayList<>(users.size());
    for (User user : inGroupbyOrder) {
      unseenInteractions += user.unseen();
      int count = user.columns().length;
      if (count == 0) {
        droppedUsers++;
        continue;
      }
      boolean[] held = new boolean[count];
      int heldCount = 0;
      if (count >= StrongGeneralizationSplitter.MIN_ROWS_TO_HOLD_OUT) {
        // Truncated as Python's int(test_prop * n) truncates.
        for (int position : rng.choice(count, (int) (config.testProportion() * count))) {
          held[position] = true;
          heldCount++;
        }
      }
      int[] in = new int[count - heldCount];
      int[] out = new int[heldCount];
      for (int j = 0, a = 0, b = 0; j < count; j++) {
        if (held[j]) {
          out[b++] = user.columns()[j];
        } else {
          in[a++] = user.columns()[j];
        }
      }
      drawn.add(new Drawn(user, in, out));
    }
    drawn.sort(Comparator.comparingInt(d -> d.user().permuted()));
    List<String> ids = new ArrayList<>(drawn.size());
    CsrMatrix.Builder foldIn = new CsrMatrix.Builder(items);
    CsrMatrix.Builder heldOut = new CsrMatrix.Builder(items);
    for (Drawn d : drawn) {
      ids.add(d.user().user());
      foldIn.addRow(d.foldIn());
      heldOut.addRow(d.heldOut());
    }
    return new HeldOutSet(IdIndex.of(ids), foldIn.build(), heldOut.build());
  }

  /** Interactions of the parts drawn so far that were lost because their item is not a training item. */
  long unseenInteractions() {
    return unseenInteractions;
  }

  /** Users of the parts drawn so far that had no interaction left on training items. */
  int droppedUsers() {
    return droppedUsers;
  }

  private record Drawn(User user, int[] foldIn, int[] heldOut) {}
}
