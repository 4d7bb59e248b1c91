package org.vaecf.data.split;

import java.util.Objects;
import java.util.Optional;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;

/**
 * A data set ready for training and evaluation: the training matrix, the validation and test users, the item index
 * built from the training users only (reused for validation, test and serving), and the statistics of the
 * preparation.
 *
 * @param items dense item index; its size is the number of columns of every matrix here
 * @param trainUsers raw ids of the training users, in row order of {@code train}
 * @param train users × items training matrix
 * @param validation held-out users used to pick the best epoch
 * @param test held-out users used for the final report
 * @param stats counts of the preparation
 * @param provenance where the data came from and which split made it; empty for data assembled by hand
 */
public record PreparedData(
    IdIndex items,
    IdIndex trainUsers,
    CsrMatrix train,
    HeldOutSet validation,
    HeldOutSet test,
    PreparationStats stats,
    Optional<Provenance> provenance) {
  public PreparedData {
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(trainUsers, "trainUsers");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(stats, "stats");
    if (train.cols() != items.size()
        || validation.foldIn().cols() != items.size()
        || test.foldIn().cols() != items.size()) {
      throw new IllegalArgumentException("every matrix must have one column per item (" + items.size() + ")");
    }
    if (train.rows() != trainUsers.size()) {
      throw new IllegalArgumentException(
          "train has " + train.rows() + " rows but there are " + trainUsers.size() + " training users");
    }
  }

  /** Prepared data without a recorded provenance (for data assembled by hand, e.g. in tests). */
  public PreparedData(
      IdIndex items,
      IdIndex trainUsers,
      CsrMatrix train,
      HeldOutSet validation,
      HeldOutSet test,
      PreparationStats stats) {
    this(items, trainUsers, train, validation, test, stats, Optional.empty());
  }

  /** The held-out set named by {@code part}. */
  public HeldOutSet heldOut(EvaluationPart part) {
    return part == EvaluationPart.VALIDATION ? validation : test;
  }

  /** A copy that records how the data was made. */
  public PreparedData withProvenance(Provenance value) {
    return new PreparedData(items, trainUsers, train, validation, test, stats, Optional.of(value));
  }
}
