package org.vaecf.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final long belowThreshold;
  private final int usersWithoutPositives;

  private UserHistories(
      List<String> userIds, CsrMatrix histories, int skippedUsers, long unknownItemIds, long belowThreshold,
      int usersWithoutPositives) {
    this.userIds = userIds;
    this.histories = histories;
    this.skippedUsers = skippedUsers;
    this.unknownItemIds = unknownItemIds;
    this.belowThreshold = belowThreshold;
    this.usersWithoutPositives = usersWithoutPositives;
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

  /** Interactions of a log whose rating was at or below the threshold (not clicks; ignored). */
  long belowThreshold() {
    return belowThreshold;
  }

  /** Users of a log left out because none of their ratings was above the threshold. */
  int usersWithoutPositives() {
    return usersWithoutPositives;
  }

  /**
   * Every user of prepared data, once, with all their items: training users, then the validation and test users not
   * among them. Under the per-user protocols ({@code user-ratio}, {@code leave-last-out}) a validation or test user is
   * also a training user, whose fold-in items are their training items: their rows are merged, so the user's history
   * is the union of their training, validation and test items; under strong generalization the three sets of users are
   * disjoint and nothing is merged.
   */
  static UserHistories fromPrepared(Path dir, IdIndex modelItems) {
    PreparedData data = PreparedDataStore.read(dir);
    Map<String, int[]> items = new LinkedHashMap<>(); // in order of first appearance
    for (int u = 0; u < data.train().rows(); u++) {
      items.merge(data.trainUsers().rawId(u), data.train().row(u), UserHistories::concat);
    }
    for (HeldOutSet part : List.of(data.validation(), data.test())) {
      for (int u = 0; u < part.size(); u++) {
        int[] all = concat(part.foldIn().row(u), part.heldOut().row(u));
        items.merge(part.users().rawId(u), all, UserHistories::concat);
      }
    }
    Builder builder = new Builder(data.items(), modelItems);
    items.forEach(builder::add); // the builder sorts each row and drops repeated items
    return builder.build();
  }

  private static int[] concat(int[] first, int[] second) {
    int[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  /**
   * Every user of a raw log, in order of first appearance. When the log has ratings, only those strictly above
   * {@code threshold} count as clicks, as {@code prepare} binarises the data a model is trained on (a negative
   * threshold keeps all); users left with none are counted in {@link #usersWithoutPositives()}.
   */
  static UserHistories fromLog(ReaderOptions options, List<Path> files, IdIndex modelItems, double threshold) {
    Interactions log = new InteractionReader(options).read(files);
    int users = log.users().size();
    // compared in float, the ratings' own precision, as prepare does: a rating written "3.7" must not pass 3.7
    float minimum = (float) threshold;
    boolean binarise = log.hasRatings();
    int[] counts = new int[users + 1];
    long belowThreshold = 0;
    for (int i = 0; i < log.size(); i++) {
      if (binarise && !(log.rating(i) > minimum)) {
        belowThreshold++;
      } else {
        counts[log.user(i) + 1]++;
      }
    }
    for (int u = 0; u < users; u++) {
      counts[u + 1] += counts[u];
    }
    int[] items = new int[counts[users]];
    int[] fill = Arrays.copyOf(counts, users);
    for (int i = 0; i < log.size(); i++) {
      if (!binarise || log.rating(i) > minimum) {
        items[fill[log.user(i)]++] = log.item(i);
      }
    }
    Builder builder = new Builder(log.items(), modelItems);
    int withoutPositives = 0;
    for (int u = 0; u < users; u++) {
      if (counts[u] == counts[u + 1]) {
        withoutPositives++;
        continue;
      }
      builder.add(log.users().rawId(u), Arrays.copyOfRange(items, counts[u], counts[u + 1]));
    }
    return builder.build(belowThreshold, withoutPositives);
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
      return build(0, 0);
    }

    UserHistories build(long belowThreshold, int usersWithoutPositives) {
      return new UserHistories(
          List.copyOf(userIds), rows.build(), skippedUsers, unknownItemIds, belowThreshold, usersWithoutPositives);
    }
  }
}
