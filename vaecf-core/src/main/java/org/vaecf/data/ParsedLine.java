package org.vaecf.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The interactions of one data line: a user, one item (several for the adjacency format), and the rating and
 * timestamp when the format has them. Reused from line to line to avoid garbage.
 */
final class ParsedLine {
  String user;
  final List<String> items = new ArrayList<>();
  float rating;
  long timestamp;

  void clear() {
    user = null;
    items.clear();
    rating = 0f;
    timestamp = 0L;
  }
}
