package org.vaecf.infer;

import java.util.List;

/** A request's history was non-empty but held no item the model knows, so there is nothing to fold in. */
public final class NoKnownItemsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> unknownItems;

  /** @param unknownItems the ids given, none known */
  public NoKnownItemsException(List<String> unknownItems) {
    super(
        "none of the " + unknownItems.size() + " given items is known to the model: "
            + String.join(", ", unknownItems.subList(0, Math.min(10, unknownItems.size())))
            + (unknownItems.size() > 10 ? ", …" : ""));
    this.unknownItems = List.copyOf(unknownItems);
  }

  /** The ids given. */
  public List<String> unknownItems() {
    return unknownItems;
  }
}
