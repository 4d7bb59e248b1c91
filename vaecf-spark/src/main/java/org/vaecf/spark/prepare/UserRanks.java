package org.vaecf.spark.prepare;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaecf.spark.score.IdType;

/**
 * Numbers users in the order in which pandas' {@code groupby} visits them, which the paper's notebook permutes: by
 * numeric value when every user id of the log is an integer, else by text in code-point order (which is Spark's
 * binary string order too). Ties of value ("7" and "07") are ordered by text, as core does. The numbering is a
 * distributed sort followed by {@code zipWithIndex}: no user list is gathered on the driver.
 */
final class UserRanks {
  /** Column of the 0-based rank. */
  static final String RANK = "rank";

  private UserRanks() {}

  /**
   * {@code (u, rank)} for the distinct users of {@code users}' column {@value InteractionLog#USER}.
   *
   * @param integerIds whether every user id of the log is an integer
   */
  static Dataset<Row> rank(Dataset<Row> users, IdType userType, boolean integerIds) {
    Dataset<Row> distinct = users.select(InteractionLog.USER).distinct();
    Column text = col(InteractionLog.USER);
    Dataset<Row> sorted = integerIds
        ? distinct.orderBy(integerValue(text, userType), text)
        : distinct.orderBy(text);
    JavaRDD<Row> ranked = sorted.javaRDD()
        .zipWithIndex()
        .map(pair -> RowFactory.create(pair._1().getString(0), pair._2()));
    StructType schema = new StructType()
        .add(InteractionLog.USER, DataTypes.StringType, false)
        .add(RANK, DataTypes.LongType, false);
    return SparkSession.active().createDataFrame(ranked, schema);
  }

  /** The id's integer value as core parses it, or null when it is not an integer. */
  static Column integerValue(Column id, IdType userType) {
    return userType == IdType.STRING
        ? InteractionLog.integerParser().apply(id)
        : id.cast(DataTypes.LongType);
  }
}
