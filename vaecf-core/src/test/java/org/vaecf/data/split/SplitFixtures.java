package org.vaecf.data.split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReadReport;

/** Helpers shared by the split tests. */
final class SplitFixtures {
  private SplitFixtures() {}

  /**
   * SHA-256 of the sorted lines {@code "user<TAB>item"} (raw ids, joined by newlines, no final newline) of a matrix
   * — the fingerprint {@code src/test/resources/notebook_split.py} prints for each part.
   */
  static String fingerprint(IdIndex users, CsrMatrix matrix, IdIndex items) {
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < matrix.rows(); r++) {
      for (int c : matrix.row(r)) {
        lines.add(users.rawId(r) + "\t" + items.rawId(c));
      }
    }
    lines.sort(null);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Interactions from rows {@code {user, item, rating, timestamp}} (rating/timestamp may be omitted). */
  static Interactions log(boolean ratings, boolean timestamps, String[]... rows) {
    Interactions.Builder builder = new Interactions.Builder(ratings, timestamps);
    for (String[] row : rows) {
      builder.add(row[0], row[1], ratings ? Float.parseFloat(row[2]) : 0f,
          timestamps ? Long.parseLong(row[ratings ? 3 : 2]) : 0L);
    }
    return builder.build(new ReadReport(List.of("fixture"), rows.length, 0, builder.duplicatePairs(), "csv"));
  }

  /** The raw item ids of row {@code r} of {@code matrix}, in column order. */
  static List<String> items(CsrMatrix matrix, int r, IdIndex items) {
    List<String> ids = new ArrayList<>();
    for (int c : matrix.row(r)) {
      ids.add(items.rawId(c));
    }
    return ids;
  }
}
