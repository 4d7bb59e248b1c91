package org.vaecf.data.split;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.vaecf.data.IdIndex;

/**
 * The order in which pandas' {@code groupby('userId')} visits users, which the notebook's split depends on: sorted by
 * the id's value. pandas reads an all-integer id column as integers and sorts numerically; any other column holds
 * strings, sorted by code point. So: numeric order when every user id of the log parses as a {@code long}, code-point
 * order otherwise.
 *
 * <p>Two spellings of one number ("7" and "07") would be one user to pandas but are two here; they are ordered by
 * their text so the result stays deterministic.
 */
final class UserOrder {
  private UserOrder() {}

  /** {@code users} (dense indexes into {@code ids}) sorted in groupby order; {@code ids} decides numeric or text. */
  static int[] sorted(IdIndex ids, int[] users) {
    Optional<long[]> numbers = numericValues(ids);
    Integer[] boxed = Arrays.stream(users).boxed().toArray(Integer[]::new);
    Comparator<Integer> byText = (a, b) -> compareCodePoints(ids.rawId(a), ids.rawId(b));
    Comparator<Integer> order = numbers
        .map(values -> Comparator.<Integer>comparingLong(u -> values[u]).thenComparing(byText))
        .orElse(byText);
    Arrays.sort(boxed, order);
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }

  /** Every id's integer value, or empty when one of them is not an integer. */
  private static Optional<long[]> numericValues(IdIndex ids) {
    long[] values = new long[ids.size()];
    for (int i = 0; i < values.length; i++) {
      try {
        values[i] = Long.parseLong(ids.rawId(i).strip());
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(values);
  }

  /**
   * Python's string order (by code point). {@link String#compareTo} compares UTF-16 units, which differs for
   * characters beyond the Basic Multilingual Plane.
   */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
