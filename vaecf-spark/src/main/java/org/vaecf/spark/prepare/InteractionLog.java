package org.vaecf.spark.prepare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.vaecf.spark.score.IdType;

/**
 * An interaction log as the preparation reads it: columns {@value #USER} (user id as text), {@value #ITEM} (item id as
 * text), {@value #RATING} (float) and {@value #POSITION}, the row's place in the log.
 *
 * <p>The paper's split depends on the log's order (the item index lists items by first appearance; a held-out user's
 * held-out items are drawn by position), which core takes from the file. Here the order is the input DataFrame's own,
 * as {@code monotonically_increasing_id()} sees it: file order for a DataFrame read straight from files. Sort a
 * DataFrame whose order is not deterministic (one that comes out of a shuffle) before fitting.
 */
final class InteractionLog {
  static final String USER = "u";
  static final String ITEM = "i";
  static final String RATING = "r";
  static final String POSITION = "pos";

  private final Dataset<Row> rows;
  private final IdType userType;
  private final IdType itemType;
  private final boolean rated;

  private InteractionLog(Dataset<Row> rows, IdType userType, IdType itemType, boolean rated) {
    this.rows = rows;
    this.userType = userType;
    this.itemType = itemType;
    this.rated = rated;
  }

  /**
   * The log in {@code input}'s columns.
   *
   * @param ratingCol the rating column, or empty for a log without ratings (every interaction then counts as
   *     positive)
   * @throws IllegalArgumentException naming a column that is missing or has an unsupported type
   */
  static InteractionLog of(Dataset<?> input, String userCol, String itemCol, Optional<String> ratingCol) {
    IdType userType = IdType.of(Columns.type(input, userCol), userCol);
    IdType itemType = IdType.of(Columns.type(input, itemCol), itemCol);
    Column rating = lit(1f);
    if (ratingCol.isPresent()) {
      Columns.requireNumericOrString(input, ratingCol.get());
      rating = col(ratingCol.get()).cast(DataTypes.FloatType);
    }
    Dataset<Row> rows = input.select(
        col(userCol).cast(DataTypes.StringType).as(USER),
        col(itemCol).cast(DataTypes.StringType).as(ITEM),
        rating.as(RATING),
        monotonically_increasing_id().as(POSITION));
    return new InteractionLog(rows, userType, itemType, ratingCol.isPresent());
  }

  /** The normalised rows. */
  Dataset<Row> rows() {
    return rows;
  }

  IdType userType() {
    return userType;
  }

  IdType itemType() {
    return itemType;
  }

  /** Whether the log has ratings to binarise. */
  boolean rated() {
    return rated;
  }

  /**
   * Counts the rows and checks them in one pass: no missing user or item, no missing or NaN rating; and finds out
   * whether every user id is an integer, which decides how users are ordered ({@link UserRanks}).
   *
   * @throws IllegalArgumentException saying how many rows lack what
   */
  Summary summarize(String userCol, String itemCol, Optional<String> ratingCol) {
    Column badRating = rated ? col(RATING).isNull().or(isnan(col(RATING))) : lit(false);
    Row counts = rows.agg(
            count(lit(1)),
            count(when(col(USER).isNull(), 1)),
            count(when(col(ITEM).isNull(), 1)),
            count(when(badRating, 1)),
            min(when(UserRanks.integerValue(col(USER), userType).isNull(), 0).otherwise(1)))
        .first();
    long total = counts.getLong(0);
    require(counts.getLong(1), "user column " + userCol + " is null");
    require(counts.getLong(2), "item column " + itemCol + " is null");
    require(counts.getLong(3), "rating column " + ratingCol.orElse("") + " is null or NaN");
    boolean integerUsers = total > 0 && counts.getInt(4) == 1;
    return new Summary(total, integerUsers);
  }

  private static void require(long badRows, String what) {
    if (badRows > 0) {
      throw new IllegalArgumentException(badRows + " rows have no usable value: the " + what);
    }
  }

  /**
   * @param rows rows of the log
   * @param integerUserIds whether every user id parses as a {@code long}
   */
  record Summary(long rows, boolean integerUserIds) {}

  /** Parses ids the way core's user order does: {@code Long.parseLong(id.strip())}, or null. */
  static UserDefinedFunction integerParser() {
    return udf((UDF1<String, Long>) InteractionLog::parseOrNull, DataTypes.LongType);
  }

  private static Long parseOrNull(String id) {
    if (id == null) {
      return null;
    }
    try {
      return Long.parseLong(id.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
