package org.vaecf.spark.score;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.Row;
import org.vaecf.data.IdIndex;

/**
 * Reads one user's history from a row as the model's item columns, sorted and without repeats; items the model does
 * not know are left out, so an empty result is a cold start.
 */
public interface HistoryReader extends Serializable {

  /** The history in {@code row}, given the model's item index. */
  int[] history(Row row, IdIndex items);

  /** Histories already stored as item columns (an {@code array<int>} field), as the model keeps its users'. */
  static HistoryReader itemColumns(int field) {
    return (row, items) -> {
      if (row.isNullAt(field)) {
        return new int[0];
      }
      List<Integer> values = row.getList(field);
      return values.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    };
  }

  /** Histories given as arrays of raw item ids (int, bigint or string elements), as {@code transform} reads them. */
  static HistoryReader rawIds(int field) {
    return (row, items) -> {
      if (row.isNullAt(field)) {
        return new int[0];
      }
      List<Object> values = row.getList(field);
      int[] columns = new int[values.size()];
      int count = 0;
      for (Object value : values) {
        if (value != null) {
          OptionalInt column = items.indexOf(value.toString());
          if (column.isPresent()) {
            columns[count++] = column.getAsInt();
          }
        }
      }
      return Arrays.stream(columns, 0, count).sorted().distinct().toArray();
    };
  }
}
