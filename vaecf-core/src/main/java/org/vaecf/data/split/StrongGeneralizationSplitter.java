package org.vaecf.data.split;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.Interactions;

/**
 * The strong-generalization split of Liang et al., "Variational Autoencoders for Collaborative Filtering" (WWW 2018),
 * done exactly as the reference notebook {@code VAE_ML20M_WWW2018.ipynb} (dawenl/vae_cf) does it, so that with
 * {@link SplitRng#NUMPY_LEGACY} the same users and items are held out:
 * <ol>
 *   <li>keep interactions rated above the threshold, then users with at least {@code minUserInteractions} of them;
 *   <li>list the users in pandas {@code groupby} order ({@link UserOrder}), reseed, and permute them with
 *       {@code permutation(n)}; the last {@code heldOutUsers} are test users, the as many before them validation users,
 *       the rest training users;
 *   <li>the item index is the training users' items in order of first appearance in the file ({@code pd.unique});
 *       training rows follow the permuted user order;
 *   <li>validation users keep only interactions with training items; the generator is reseeded, and, visiting the
 *       users in groupby order and each user's interactions in file order, a user with at least
 *       {@value #MIN_ROWS_TO_HOLD_OUT} of them has {@code choice(n, (int) (testProportion * n))} positions held out
 *       and the rest folded in, while a smaller user is folded in entirely; the same, after another reseed, for test
 *       users. Held-out sets list users in permuted order (the notebook's {@code profile2id}).
 * </ol>
 * A held-out user with no interaction left after step 4's item filter is dropped and counted in
 * {@link PreparationStats#droppedEvaluationUsers()} (pandas' groupby never sees such a user). A user with fewer than
 * {@value #MIN_ROWS_TO_HOLD_OUT} left keeps an empty held-out row, as in the notebook; evaluation skips it.
 */
public final class StrongGeneralizationSplitter implements Splitter {
  /** Users with fewer interactions than this are folded in whole; the notebook's literal 5. */
  public static final int MIN_ROWS_TO_HOLD_OUT = 5;

  private static final byte TRAIN = 1;
  private static final byte VALIDATION = 2;
  private static final byte TEST = 3;

  private final StrongGeneralizationConfig config;

  public StrongGeneralizationSplitter(StrongGeneralizationConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code 2 × heldOutUsers} is not below the number of users left after
   *     filtering
   */
  @Override
  public PreparedData split(Interactions data) {
    FilteredInteractions filtered = FilteredInteractions.apply(data, config);
    int[] ordered = UserOrder.sorted(data.users(), filtered.keptUsers());
    int n = ordered.length;
    int heldOut = config.heldOutUsers();
    if (2L * heldOut >= n) {
      throw new IllegalArgumentException(
          "heldOutUsers = " + heldOut + " needs more than " + 2L * heldOut + " users, but " + n
              + " are left after keeping ratings > " + config.ratingThreshold() + " and users with at least "
              + config.minUserInteractions() + " interactions; lower heldOutUsers");
    }
    SplitRandom rng = config.rng().create(config.seed());
    int[] permutation = rng.permutation(n);
    int[] permuted = new int[n];
    for (int i = 0; i < n; i++) {
      permuted[i] = ordered[permutation[i]];
    }
    int trainCount = n - 2 * heldOut;
    byte[] role = new byte[data.users().size()];
    for (int i = 0; i < n; i++) {
      role[permuted[i]] = i < trainCount ? TRAIN : i < trainCount + heldOut ? VALIDATION : TEST;
    }

    int[] itemColumn = new int[data.items().size()];
    Arrays.fill(itemColumn, -1);
    IdIndex.Builder items = new IdIndex.Builder();
    for (int k = filtered.nextKept(0); k >= 0; k = filtered.nextKept(k + 1)) {
      int item = data.item(k);
      if (role[data.user(k)] == TRAIN && itemColumn[item] < 0) {
        itemColumn[item] = items.add(data.items().rawId(item));
      }
    }
    IdIndex itemIndex = items.build();

    IdIndex.Builder trainUsers = new IdIndex.Builder();
    CsrMatrix.Builder train = new CsrMatrix.Builder(itemIndex.size());
    int[] buffer = new int[16];
    for (int i = 0; i < trainCount; i++) {
      int u = permuted[i];
      int count = filtered.rowCount(u);
      buffer = ensure(buffer, count);
      for (int j = 0; j < count; j++) {
        buffer[j] = itemColumn[data.item(filtered.row(u, j))];
      }
      trainUsers.add(data.users().rawId(u));
      train.addRow(buffer, 0, count);
    }

    Counts counts = new Counts();
    int[] validationUsers = Arrays.copyOfRange(permuted, trainCount, trainCount + heldOut);
    int[] testUsers = Arrays.copyOfRange(permuted, trainCount + heldOut, n);
    HeldOutSet validation =
        heldOutSet(filtered, ordered, validationUsers, role, VALIDATION, itemColumn, itemIndex.size(), rng, counts);
    HeldOutSet test = heldOutSet(filtered, ordered, testUsers, role, TEST, itemColumn, itemIndex.size(), rng, counts);
    CsrMatrix trainMatrix = train.build();
    PreparationStats stats = new PreparationStats(
        trainCount, itemIndex.size(), trainMatrix.nnz(), validation.size(), test.size(),
        validation.foldIn().nnz(), validation.heldOut().nnz(), test.foldIn().nnz(), test.heldOut().nnz(),
        data.report().linesRead(), data.report().skippedLines(), data.report().duplicatePairs(),
        filtered.size(), n, counts.unseenItemInteractions, counts.droppedUsers);
    Provenance provenance = new Provenance(data.report().format(), data.report().sources(), config);
    return new PreparedData(
        itemIndex, trainUsers.build(), trainMatrix, validation, test, stats, Optional.of(provenance));
  }

  /**
   * Splits the users whose role is {@code part} into fold-in and held-out items. The generator is reseeded and users
   * are visited in groupby order ({@code ordered}), because that is the order the notebook draws in; the result
   * lists them in {@code permutedUsers} order.
   */
  private HeldOutSet heldOutSet(FilteredInteractions filtered, int[] ordered, int[] permutedUsers, byte[] role,
      byte part, int[] itemColumn, int itemCount, SplitRandom rng, Counts counts) {
    Interactions data = filtered.source();
    int[][] foldIn = new int[data.users().size()][];
    int[][] heldOut = new int[data.users().size()][];
    rng.reseed(config.seed());
    int[] columns = new int[16];
    for (int u : ordered) {
      if (role[u] != part) {
        continue;
      }
      int rows = filtered.rowCount(u);
      columns = ensure(columns, rows);
      int count = 0;
      for (int j = 0; j < rows; j++) {
        int column = itemColumn[data.item(filtered.row(u, j))];
        if (column >= 0) {
          columns[count++] = column;
        }
      }
      counts.unseenItemInteractions += rows - count;
      if (count == 0) {
        counts.droppedUsers++;
        continue;
      }
      boolean[] held = new boolean[count];
      int heldCount = 0;
      if (count >= MIN_ROWS_TO_HOLD_OUT) {
        // (int) of a double product, as Python's int(test_prop * n) truncates.
        int[] chosen = rng.choice(count, (int) (config.testProportion() * count));
        for (int position : chosen) {
          held[position] = true;
        }
        heldCount = chosen.length;
      }
      int[] in = new int[count - heldCount];
      int[] out = new int[heldCount];
      for (int j = 0, a = 0, b = 0; j < count; j++) {
        if (held[j]) {
          out[b++] = columns[j];
        } else {
          in[a++] = columns[j];
        }
      }
      foldIn[u] = in;
      heldOut[u] = out;
    }
    HeldOutSetBuilder builder = new HeldOutSetBuilder(itemCount);
    for (int u : permutedUsers) {
      if (foldIn[u] != null) {
        builder.add(data.users().rawId(u), foldIn[u], foldIn[u].length, heldOut[u], heldOut[u].length);
      }
    }
    return builder.build();
  }

  private static int[] ensure(int[] buffer, int size) {
    return buffer.length >= size ? buffer : new int[Math.max(size, buffer.length * 2)];
  }

  /** Interactions and users lost to the training item filter, over validation and test. */
  private static final class Counts {
    long unseenItemInteractions;
    int droppedUsers;
  }
}
