package org.vaecf.data.split;

import java.util.ArrayList;
import java.util.List;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;

/** Collects held-out users one by one, with their fold-in and held-out items, into a {@link HeldOutSet}. */
final class HeldOutSetBuilder {
  private final List<String> users = new ArrayList<>();
  private final CsrMatrix.Builder foldIn;
  private final CsrMatrix.Builder heldOut;

  HeldOutSetBuilder(int items) {
    foldIn = new CsrMatrix.Builder(items);
    heldOut = new CsrMatrix.Builder(items);
  }

  /** Adds a user whose fold-in items are {@code foldInItems[0..foldInCount)} and so on (arrays are copied). */
  void add(String user, int[] foldInItems, int foldInCount, int[] heldOutItems, int heldOutCount) {
    users.add(user);
    foldIn.addRow(foldInItems, 0, foldInCount);
    heldOut.addRow(heldOutItems, 0, heldOutCount);
  }

  HeldOutSet build() {
    return new HeldOutSet(IdIndex.of(users), foldIn.build(), heldOut.build());
  }
}
