package org.vaecf.data;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;
import java.util.Objects;

/**
 * A log of user–item interactions in file order, with raw ids mapped to dense indexes in order of first appearance.
 * Each (user, item) pair occurs once: a repeated pair is merged into its first occurrence (which keeps its position),
 * keeping the highest rating and the latest timestamp, and is counted in {@link ReadReport#duplicatePairs()}.
 *
 * <p>Ratings and timestamps are optional columns ({@link #hasRatings()}, {@link #hasTimestamps()}). File order
 * matters: the paper's split samples each user's held-out items by their position in the user's rows.
 */
public final class Interactions {
  private final IdIndex users;
  private final IdIndex items;
  private final int[] userIndexes;
  private final int[] itemIndexes;
  private final float[] ratings;
  private final long[] timestamps;
  private final ReadReport report;

  private Interactions(Builder builder, ReadReport report) {
    this.users = builder.users.build();
    this.items = builder.items.build();
    this.userIndexes = Arrays.copyOf(builder.userIndexes, builder.size);
    this.itemIndexes = Arrays.copyOf(builder.itemIndexes, builder.size);
    this.ratings = builder.hasRatings ? Arrays.copyOf(builder.ratings, builder.size) : null;
    this.timestamps = builder.hasTimestamps ? Arrays.copyOf(builder.timestamps, builder.size) : null;
    this.report = report;
  }

  /** Raw user ids, indexed in order of first appearance. */
  public IdIndex users() {
    return users;
  }

  /** Raw item ids, indexed in order of first appearance. */
  public IdIndex items() {
    return items;
  }

  /** Number of distinct (user, item) pairs. */
  public int size() {
    return userIndexes.length;
  }

  /** Dense user index of interaction {@code k}. */
  public int user(int k) {
    return userIndexes[k];
  }

  /** Dense item index of interaction {@code k}. */
  public int item(int k) {
    return itemIndexes[k];
  }

  /** Whether the source had a rating column. */
  public boolean hasRatings() {
    return ratings != null;
  }

  /**
   * Rating of interaction {@code k}.
   *
   * @throws IllegalStateException if the source had no ratings
   */
  public float rating(int k) {
    if (ratings == null) {
      throw new IllegalStateException("these interactions have no ratings");
    }
    return ratings[k];
  }

  /** Whether the source had a timestamp column. */
  public boolean hasTimestamps() {
    return timestamps != null;
  }

  /**
   * Timestamp of interaction {@code k}, in the source's unit.
   *
   * @throws IllegalStateException if the source had no timestamps
   */
  public long timestamp(int k) {
    if (timestamps == null) {
      throw new IllegalStateException("these interactions have no timestamps");
    }
    return timestamps[k];
  }

  /** What reading the source found: lines, skipped lines, duplicates. */
  public ReadReport report() {
    return report;
  }

  /**
   * Collects interactions, merging repeated (user, item) pairs. Not thread-safe.
   */
  public static final class Builder {
    private final IdIndex.Builder users = new IdIndex.Builder();
    private final IdIndex.Builder items = new IdIndex.Builder();
    private final Long2IntOpenHashMap pairPositions = new Long2IntOpenHashMap();
    private final boolean hasRatings;
    private final boolean hasTimestamps;
    private int[] userIndexes = new int[1024];
    private int[] itemIndexes = new int[1024];
    private float[] ratings;
    private long[] timestamps;
    private int size;
    private long duplicatePairs;

    /**
     * @param hasRatings whether {@link #add} receives ratings
     * @param hasTimestamps whether {@link #add} receives timestamps
     */
    public Builder(boolean hasRatings, boolean hasTimestamps) {
      this.hasRatings = hasRatings;
      this.hasTimestamps = hasTimestamps;
      this.ratings = hasRatings ? new float[1024] : null;
      this.timestamps = hasTimestamps ? new long[1024] : null;
      pairPositions.defaultReturnValue(-1);
    }

    /**
     * Adds one interaction; {@code rating} and {@code timestamp} are ignored for columns the builder was created
     * without.
     *
     * @return {@code true} if the pair is new, {@code false} if it was merged into an earlier one
     */
    public boolean add(String user, String item, float rating, long timestamp) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(item, "item");
      int u = users.add(user);
      int i = items.add(item);
      long key = ((long) u << 32) | (i & 0xffffffffL);
      int existing = pairPositions.get(key);
      if (existing >= 0) {
        duplicatePairs++;
        if (hasRatings) {
          ratings[existing] = Math.max(ratings[existing], rating);
        }
        if (hasTimestamps) {
          timestamps[existing] = Math.max(timestamps[existing], timestamp);
        }
        return false;
      }
      if (size == userIndexes.length) {
        int capacity = size * 2;
        userIndexes = Arrays.copyOf(userIndexes, capacity);
        itemIndexes = Arrays.copyOf(itemIndexes, capacity);
        if (hasRatings) {
          ratings = Arrays.copyOf(ratings, capacity);
        }
        if (hasTimestamps) {
          timestamps = Arrays.copyOf(timestamps, capacity);
        }
      }
      pairPositions.put(key, size);
      userIndexes[size] = u;
      itemIndexes[size] = i;
      if (hasRatings) {
        ratings[size] = rating;
      }
      if (hasTimestamps) {
        timestamps[size] = timestamp;
      }
      size++;
      return true;
    }

    /** Number of distinct pairs so far. */
    public int size() {
      return size;
    }

    /** Number of repeated pairs merged so far. */
    public long duplicatePairs() {
      return duplicatePairs;
    }

    /**
     * Freezes the collected interactions. {@code report}'s duplicate count should be {@link #duplicatePairs()}.
     */
    public Interactions build(ReadReport report) {
      return new Interactions(this, Objects.requireNonNull(report, "report"));
    }
  }
}
