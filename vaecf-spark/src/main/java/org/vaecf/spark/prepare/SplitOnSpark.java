package org.vaecf.spark.prepare;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaecf.data.split.PreparedData;
import org.vaecf.spark.score.IdType;

/**
 * What {@link DistributedSplit} returns.
 *
 * @param data the split, on the driver: what the core trainer and evaluator take
 * @param histories every user left after filtering, with all their positive items that are in the item index:
 *     {@code (userCol, history: array<int>)}, item columns sorted; cached on the cluster
 * @param userType type of the user ids in the input
 * @param itemType type of the item ids in the input
 */
public record SplitOnSpark(PreparedData data, Dataset<Row> histories, IdType userType, IdType itemType) {
  /** Name of the history column of {@link #histories()}. */
  public static final String HISTORY = "history";

  public SplitOnSpark {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(histories, "histories");
    Objects.requireNonNull(userType, "userType");
    Objects.requireNonNull(itemType, "itemType");
  }
}
