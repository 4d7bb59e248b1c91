package org.vaecf.spark.prepare;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks on input columns that fail with the column's name and what was expected. */
public final class Columns {
  private Columns() {}

  /**
   * The type of column {@code name} in {@code schema}.
   *
   * @throws IllegalArgumentException naming the column and the columns there are
   */
  public static DataType type(StructType schema, String name) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return field.dataType();
      }
    }
    throw new IllegalArgumentException(
        "no column " + name + " in the input; its columns are " + Arrays.toString(schema.fieldNames()));
  }

  static DataType type(Dataset<?> input, String name) {
    return type(input.schema(), name);
  }

  /**
   * Fails unless column {@code name} exists and holds numbers or text that can be cast to float.
   *
   * @throws IllegalArgumentException naming the column and its type
   */
  public static void requireNumericOrString(StructType schema, String name) {
    DataType type = type(schema, name);
    if (!(type instanceof NumericType) && !(type instanceof StringType)) {
      throw new IllegalArgumentException(
          "column " + name + " must hold numbers (or numbers as text), got " + type.simpleString());
    }
  }

  static void requireNumericOrString(Dataset<?> input, String name) {
    requireNumericOrString(input.schema(), name);
  }
}
