package org.vaecf.data;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A fixed mapping between raw string ids (as they appear in a data file) and dense indexes {@code 0..size()-1}.
 *
 * <p>Unknown ids are reported with an empty {@link OptionalInt} or a {@link NoSuchElementException} that names
 * the id — never a {@code -1} sentinel. Instances are immutable and safe to share between threads.
 */
public final class IdIndex {
  private final List<String> ids;
  private final Object2IntOpenHashMap<String> indexes;

  private IdIndex(List<String> ids, Object2IntOpenHashMap<String> indexes) {
    this.ids = Collections.unmodifiableList(ids);
    this.indexes = indexes;
  }

  /**
   * Builds an index whose dense index {@code i} is {@code ids.get(i)}.
   *
   * @throws IllegalArgumentException if an id is repeated or null
   */
  public static IdIndex of(List<String> ids) {
    Builder builder = new Builder();
    for (String id : ids) {
      int before = builder.size();
      if (builder.add(id) != before) {
        throw new IllegalArgumentException("id '" + id + "' appears more than once");
      }
    }
    return builder.build();
  }

  /** The dense index of {@code rawId}, or empty when the id is not in this index. */
  public OptionalInt indexOf(String rawId) {
    int index = indexes.getInt(rawId);
    return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
  }

  /**
   * The dense index of {@code rawId}.
   *
   * @throws NoSuchElementException naming the id when it is not in this index
   */
  public int require(String rawId) {
    int index = indexes.getInt(rawId);
    if (index < 0) {
      throw new NoSuchElementException("unknown id '" + rawId + "'");
    }
    return index;
  }

  /** Whether {@code rawId} has an index. */
  public boolean contains(String rawId) {
    return indexes.containsKey(rawId);
  }

  /** The raw id at dense index {@code index}. */
  public String rawId(int index) {
    Objects.checkIndex(index, ids.size());
    return ids.get(index);
  }

  /** Number of ids. */
  public int size() {
    return ids.size();
  }

  /** All raw ids in index order (unmodifiable). */
  public List<String> ids() {
    return ids;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdIndex that && ids.equals(that.ids);
  }

  @Override
  public int hashCode() {
    return ids.hashCode();
  }

  @Override
  public String toString() {
    return "IdIndex[" + ids.size() + " ids]";
  }

  /** Assigns dense indexes to raw ids in order of first appearance. Not thread-safe. */
  public static final class Builder {
    private final List<String> ids = new ArrayList<>();
    private final Object2IntOpenHashMap<String> indexes = new Object2IntOpenHashMap<>();

    public Builder() {
      indexes.defaultReturnValue(-1);
    }

    /** Returns the index of {@code rawId}, assigning the next free one if it is new. */
    public int add(String rawId) {
      Objects.requireNonNull(rawId, "rawId");
      int index = indexes.getInt(rawId);
      if (index >= 0) {
        return index;
      }
      index = ids.size();
      ids.add(rawId);
      indexes.put(rawId, index);
      return index;
    }

    /** The index of {@code rawId} if already assigned, or empty. */
    public OptionalInt indexOf(String rawId) {
      int index = indexes.getInt(rawId);
      return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** Number of ids assigned so far. */
    public int size() {
      return ids.size();
    }

    /** Freezes the ids assigned so far into an immutable index; the builder must not be used afterwards. */
    public IdIndex build() {
      indexes.trim();
      return new IdIndex(ids, indexes);
    }
  }
}
