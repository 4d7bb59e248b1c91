package org.vaecf.spark.score;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The type of a recommendation list, ALS's shape: {@code array<struct<item, score>>}, best first. The item field is
 * named after the item column and has the item ids' type; the score is the item's probability under the user's
 * multinomial (a float, as ALS's rating is).
 */
public final class RecommendationSchema {
  /** Name of the score field. */
  public static final String SCORE_FIELD = "score";

  private RecommendationSchema() {}

  /** {@code array<struct<itemField: itemType, score: float>>}; elements are never null, the array may be empty. */
  public static ArrayType listType(String itemField, IdType itemType) {
    StructType element = new StructType()
        .add(itemField, itemType.sparkType(), false)
        .add(SCORE_FIELD, DataTypes.FloatType, false);
    return DataTypes.createArrayType(element, false);
  }
}
