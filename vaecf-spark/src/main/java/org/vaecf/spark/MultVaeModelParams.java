package org.vaecf.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The parameters that {@link MultVaeModel} uses to recommend, shared with {@link MultVae} (which passes them on to
 * the model it fits), in the manner of ALS's {@code ALSModelParams}. Each param's doc string says its meaning, its
 * valid values and its default; {@link Params#explainParams()} prints them all.
 */
public interface MultVaeModelParams extends Params {
  /** Column of user ids: integer, long or string. Default {@code "user"}. */
  Param<String> userCol();

  /** Column of item ids: integer, long or string. Default {@code "item"}. */
  Param<String> itemCol();

  /**
   * Column that {@link MultVaeModel#transform} reads: each row's history, an array of item ids (integer, long or
   * string). Default {@code "items"}.
   */
  Param<String> itemsCol();

  /**
   * Column that {@link MultVaeModel#transform} adds: {@code array<struct<itemCol, score>>}, best first. Default
   * {@code "recommendations"}.
   */
  Param<String> predictionCol();

  /** Items recommended per row by {@link MultVaeModel#transform}. Default 10. */
  IntParam k();

  /** Policy for users with no known item; see {@link ColdStartStrategy}. Default {@code "empty"}. */
  Param<String> coldStartStrategy();

  /**
   * Users scored per matrix product on the executors. Larger blocks use the cores better, at
   * {@code blockSize × items × 4} bytes of scores per running task. Default 256.
   */
  IntParam blockSize();

  default String getUserCol() {
    return getOrDefault(userCol());
  }

  default String getItemCol() {
    return getOrDefault(itemCol());
  }

  default String getItemsCol() {
    return getOrDefault(itemsCol());
  }

  default String getPredictionCol() {
    return getOrDefault(predictionCol());
  }

  default int getK() {
    return (Integer) getOrDefault(k());
  }

  default String getColdStartStrategy() {
    return getOrDefault(coldStartStrategy());
  }

  default int getBlockSize() {
    return (Integer) getOrDefault(blockSize());
  }
}
