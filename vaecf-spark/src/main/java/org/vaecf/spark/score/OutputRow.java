package org.vaecf.spark.score;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.Seq;

/** Makes an output row from an input row and that row's recommendations ({@code struct(item, score)} rows). */
public interface OutputRow extends Serializable {

  /** The output for {@code input}. */
  Row build(Row input, Seq<Row> recommendations);

  /** {@code (key, recommendations)}: ALS's shape, the key taken from field {@code keyField} of the input. */
  static OutputRow keyAndRecommendations(int keyField) {
    return (input, recommendations) -> RowFactory.create(input.get(keyField), recommendations);
  }

  /** Every input field, then the recommendations: what {@code transform} returns. */
  static OutputRow appendRecommendations() {
    return (input, recommendations) -> {
      Object[] values = new Object[input.length() + 1];
      for (int i = 0; i < input.length(); i++) {
        values[i] = input.get(i);
      }
      values[input.length()] = recommendations;
      return RowFactory.create(values);
    };
  }
}
