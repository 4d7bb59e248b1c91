package org.vaecf.data.split;

import java.util.Objects;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;

/**
 * Users held out of training (validation or test users of the strong-generalization protocol, or the evaluation part
 * of a per-user split): row {@code u} of {@link #foldIn()} is what the model sees of user {@code u}, row {@code u} of
 * {@link #heldOut()} is what it must predict. Both matrices have one row per user of {@link #users()} and the
 * training item index's columns.
 *
 * @param users raw ids of the held-out users, in row order
 * @param foldIn the items given to the model as input
 * @param heldOut the items to be predicted; a row may be empty (such users are skipped by evaluation)
 */
public record HeldOutSet(IdIndex users, CsrMatrix foldIn, CsrMatrix heldOut) {
  public HeldOutSet {
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(foldIn, "foldIn");
    Objects.requireNonNull(heldOut, "heldOut");
    if (foldIn.rows() != users.size() || heldOut.rows() != users.size()) {
      throw new IllegalArgumentException(
          "fold-in (" + foldIn.rows() + " rows) and held-out (" + heldOut.rows()
              + " rows) must both have one row per user (" + users.size() + ")");
    }
    if (foldIn.cols() != heldOut.cols()) {
      throw new IllegalArgumentException(
          "fold-in has " + foldIn.cols() + " columns but held-out has " + heldOut.cols());
    }
  }

  /** An empty set over {@code items} columns. */
  public static HeldOutSet empty(int items) {
    return new HeldOutSet(IdIndex.of(java.util.List.of()), CsrMatrix.empty(0, items), CsrMatrix.empty(0, items));
  }

  /** Number of users. */
  public int size() {
    return users.size();
  }
}
