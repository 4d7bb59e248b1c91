package org.vaecf.data.split;

import java.util.Arrays;
import java.util.Optional;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.Interactions;

/**
 * Builds {@link PreparedData} for the splits that keep every user in training and set aside some of each user's
 * interactions: once each kept interaction has a role (training, validation, test), the item index is the training
 * interactions' items in order of first appearance in the file, every user gets a training row, and a user with
 * validation (test) interactions becomes a validation (test) user whose fold-in is their training items and whose
 * held-out items are those interactions. Held-out interactions with items unseen in training are dropped and counted;
 * a user left with none is dropped and counted. Users are listed in groupby order throughout.
 */
final class PerUserSplitAssembler {
  static final byte TRAIN = 1;
  static final byte VALIDATION = 2;
  static final byte TEST = 3;

  private PerUserSplitAssembler() {}

  /**
   * @param filtered the kept interactions
   * @param ordered the kept users, in the order rows are to be listed
   * @param role the role of each kept interaction, by source position
   * @param config the settings, recorded in the provenance
   */
  static PreparedData assemble(FilteredInteractions filtered, int[] ordered, byte[] role, SplitConfig config) {
    Interactions data = filtered.source();
    int[] itemColumn = new int[data.items().size()];
    Arrays.fill(itemColumn, -1);
    IdIndex.Builder items = new IdIndex.Builder();
    for (int k = filtered.nextKept(0); k >= 0; k = filtered.nextKept(k + 1)) {
      int item = data.item(k);
      if (role[k] == TRAIN && itemColumn[item] < 0) {
        itemColumn[item] = items.add(data.items().rawId(item));
      }
    }
    IdIndex itemIndex = items.build();

    IdIndex.Builder trainUsers = new IdIndex.Builder();
    CsrMatrix.Builder train = new CsrMatrix.Builder(itemIndex.size());
    HeldOutSetBuilder validation = new HeldOutSetBuilder(itemIndex.size());
    HeldOutSetBuilder test = new HeldOutSetBuilder(itemIndex.size());
    long unseen = 0;
    int dropped = 0;
    int[] trainColumns = new int[16];
    int[] validationColumns = new int[16];
    int[] testColumns = new int[16];
    for (int u : ordered) {
      int rows = filtered.rowCount(u);
      if (trainColumns.length < rows) {
        trainColumns = new int[rows];
        validationColumns = new int[rows];
        testColumns = new int[rows];
      }
      int trainCount = 0;
      int validationCount = 0;
      int testCount = 0;
      int validationRows = 0;
      int testRows = 0;
      for (int j = 0; j < rows; j++) {
        int k = filtered.row(u, j);
        int column = itemColumn[data.item(k)];
        switch (role[k]) {
          case TRAIN -> trainColumns[trainCount++] = column;
          case VALIDATION -> {
            validationRows++;
            if (column >= 0) {
              validationColumns[validationCount++] = column;
            }
          }
          case TEST -> {
            testRows++;
            if (column >= 0) {
              testColumns[testCount++] = column;
            }
          }
          default -> throw new IllegalStateException("interaction " + k + " of a kept user has no role");
        }
      }
      if (trainCount == 0) {
        // The configurations guarantee a training interaction per user; reaching here is a bug, not bad data.
        throw new IllegalStateException("user " + data.users().rawId(u) + " has no training interaction");
      }
      String user = data.users().rawId(u);
      trainUsers.add(user);
      train.addRow(trainColumns, 0, trainCount);
      unseen += (validationRows - validationCount) + (testRows - testCount);
      if (validationCount > 0) {
        validation.add(user, trainColumns, trainCount, validationColumns, validationCount);
      } else if (validationRows > 0) {
        dropped++;
      }
      if (testCount > 0) {
        test.add(user, trainColumns, trainCount, testColumns, testCount);
      } else if (testRows > 0) {
        dropped++;
      }
    }
    CsrMatrix trainMatrix = train.build();
    HeldOutSet validationSet = validation.build();
    HeldOutSet testSet = test.build();
    PreparationStats stats = new PreparationStats(
        ordered.length, itemIndex.size(), trainMatrix.nnz(), validationSet.size(), testSet.size(),
        validationSet.foldIn().nnz(), validationSet.heldOut().nnz(), testSet.foldIn().nnz(), testSet.heldOut().nnz(),
        data.report().linesRead(), data.report().skippedLines(), data.report().duplicatePairs(),
        filtered.size(), ordered.length, unseen, dropped);
    Provenance provenance = new Provenance(data.report().format(), data.report().sources(), config);
    return new PreparedData(
        itemIndex, trainUsers.build(), trainMatrix, validationSet, testSet, stats, Optional.of(provenance));
  }

  /** Fails, naming the settings, when filtering left no user at all. */
  static void requireUsers(int users, SplitConfig config) {
    if (users == 0) {
      throw new IllegalArgumentException(
          "no users left after keeping ratings > " + config.ratingThreshold() + " and users with at least "
              + config.minUserInteractions() + " interactions");
    }
  }
}
