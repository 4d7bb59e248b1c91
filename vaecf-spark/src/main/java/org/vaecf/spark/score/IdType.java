package org.vaecf.spark.score;

import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark types that user and item ids may have. The core indexes ids as strings; a model remembers the type its
 * ids had when it was fitted and hands ids back in that type, so an integer item column gives integer items in the
 * recommendations, as ALS does.
 */
public enum IdType {
  /** {@code string} ids, returned unchanged. */
  STRING(DataTypes.StringType),
  /** {@code int} ids; their text is Java's decimal form, which Spark's cast to string also produces. */
  INT(DataTypes.IntegerType),
  /** {@code bigint} ids. */
  LONG(DataTypes.LongType);

  private final DataType sparkType;

  IdType(DataType sparkType) {
    this.sparkType = sparkType;
  }

  /** The Spark SQL type. */
  public DataType sparkType() {
    return sparkType;
  }

  /** A stable name for metadata files. */
  public String persistedName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The id type of a column of type {@code type}.
   *
   * @param column the column's name, for the message
   * @throws IllegalArgumentException naming the column and its type when ids of that type are not supported
   */
  public static IdType of(DataType type, String column) {
    for (IdType idType : values()) {
      if (idType.sparkType.equals(type)) {
        return idType;
      }
    }
    throw new IllegalArgumentException(
        "column " + column + " holds ids of type " + type.simpleString() + "; ids must be int, bigint or string");
  }

  /**
   * The type named {@code name} in metadata.
   *
   * @throws IllegalArgumentException naming the unknown type
   */
  public static IdType fromPersistedName(String name) {
    for (IdType idType : values()) {
      if (idType.persistedName().equals(name)) {
        return idType;
      }
    }
    throw new IllegalArgumentException("unknown id type '" + name + "'");
  }

  /** The id as the core stores it (text) from a value of this type as Spark gives it. */
  public String rawId(Object value) {
    return value.toString();
  }

  /** The value of this type whose text is {@code rawId}. */
  public Object fromRawId(String rawId) {
    return switch (this) {
      case STRING -> rawId;
      case INT -> Integer.parseInt(rawId);
      case LONG -> Long.parseLong(rawId);
    };
  }
}
