package org.vaecf.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;

/**
 * The users to recommend for, as rows of a users × (model's items) matrix with their raw ids: read from prepared data
 * or from a raw log, with item ids mapped through the model's item index.
 */
final class UserHistories {
  private final List<String> userIds;
  private final CsrMatrix histories;
  private final int skippedUsers;
  private final long unknownItemIds;

  private UserHistories(List<String> userIds, CsrMatrix histories, int skippedUsers, long unknownItemIds) {
    this.userIds = userIds;
    this.histories = histories;
    this.skippedUsers = skippedUsers;
    this.unknownItemIds = unknownItemIds;
  }

  /** Rows: one per user, the model's item columns. */
  CsrMatrix histories() {
    return histories;
  }

  String userId(int row) {
    return userIds.get(row);
  }

  /** Users left out because none of their items is known to the model. */
  int skippedUsers() {
    return skippedUsers;
  }

  /** Interactions whose item the model does not know (ignored). */
  long unknownItemIds() {
    return unknownItemIds;
  }

  /** Every user of prepared data: training users, then validation and test users with fold-in and held-out items. */
  static UserHistories fromPrepared(Path dir, IdIndex modelItems) {
    PreparedData data = PreparedDataStore.read(dir);
    Builder builder = new Builder(data.items(), modelItems);
    for (int u = 0; u < data.train().rows(); u++) {
      builder.add(data.trainUsers().rawId(u), data.train().row(u));
    }
    for (HeldOutSet part : List.of(data.validation(), data.test())) {
      for (int u = 0; u < part.size(); u++) {
        int[] foldIn = part.foldIn().row(u);
        int[] heldOut = part.heldOut().row(u);
        int[] all = Arrays.copyOf(foldIn, foldIn.length + heldOut.length);
        System.arraycopy(heldOut, 0, all, foldIn.length, heldOut.length);
        builder.add(part.users().rawId(u), all);
      }
    }
    return builder.build();
  }

  /** Every user of a raw log, in order of first appearance. */
  static UserHistories fromLog(ReaderOptions options, List<Path> files, IdIndex modelItems) {
    Interactions log = new InteractionReader(options).read(files);
    int users = log.users().size();
    int[] counts = new int[users + 1];
    for (int i = 0; i < log.size(); i++) {
      counts[log.user(i) + 1]++;
    }
    for (int u = 0; u < users; u++) {
      counts[u + 1] += counts[u];
    }
    int[] items = new int[log.size()];
    int[] fill = Arrays.copyOf(counts, users);
    for (int i = 0; i < log.size(); i++) {
      items[fill[log.user(i)]++] = log.item(i);
    }
    Builder builder = new Builder(log.items(), modelItems);
    for (int u = 0; u < users; u++) {
      builder.add(log.users().rawId(u), Arrays.copyOfRange(items, counts[u], counts[u + 1]));
    }
    return builder.build();
  }

  /** Maps item columns of the source onto the model's, dropping unknown ones. */
  private static final class Builder {
    private final int[] modelColumn;
    private final boolean[] known;
    private final CsrMatrix.Builder rows;
    private final List<String> userIds = new ArrayList<>();
    private int skippedUsers;
    private long unknownItemIds;

    Builder(IdIndex sourceItems, IdIndex modelItems) {
      modelColumn = new int[sourceItems.size()];
      known = new boolean[sourceItems.size()];
      for (int i = 0; i < sourceItems.size(); i++) {
        OptionalInt column = modelItems.indexOf(sourceItems.rawId(i));
        known[i] = column.isPresent();
        modelColumn[i] = column.orElse(0);
      }
      rows = new CsrMatrix.Builder(modelItems.size());
    }

    void add(String user, int[] sourceItems) {
      int[] columns = new int[sourceItems.length];
      int count = 0;
      for (int item : sourceItems) {
        if (known[item]) {
          columns[count++] = modelColumn[item];
        } else {
          unknownItemIds++;
        }
      }
      if (count == 0) {
        skippedUsers++;
        return;
      }
      rows.addRow(Arrays.stream(columns, 0, count).sorted().distinct().toArray());
      userIds.add(user);
    }

    UserHistories build() {
      return new UserHistories(List.copyOf(userIds), rows.build(), skippedUsers, unknownItemIds);
    }
  }
}
