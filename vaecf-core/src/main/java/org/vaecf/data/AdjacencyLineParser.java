package org.vaecf.data;

import java.util.List;

/** {@code user item item …}, whitespace separated; a user with no items is allowed and adds nothing. */
final class AdjacencyLineParser implements LineParser {
  private final List<String> tokens = Fields.buffer();

  @Override
  public boolean expectsHeader() {
    return false;
  }

  @Override
  public void header(String line) {
    throw new IllegalStateException("the adjacency format has no header");
  }

  @Override
  public void parse(String line, ParsedLine out) {
    Fields.splitWhitespace(line, tokens);
    // Splitting on whitespace leaves neither empty tokens nor tabs and line breaks, so ids need no further check.
    out.user = tokens.get(0);
    out.items.addAll(tokens.subList(1, tokens.size()));
  }
}
