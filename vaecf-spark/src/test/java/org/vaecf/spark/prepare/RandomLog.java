package org.vaecf.spark.prepare;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReadReport;

/**
 * A seeded random rating log, held both as core's {@link Interactions} (what a reader would build from the file) and
 * as a Spark DataFrame with the same rows in the same order, so the two preparations can be compared. Users are
 * drawn with a skew so that some have many ratings and some few; repeated pairs occur naturally.
 */
public final class RandomLog {
  public final List<Object[]> rows = new ArrayList<>();
  private final DataType userType;
  private final boolean rated;

  /**
   * @param userId the id of user {@code u} (an Integer for int ids, a String otherwise)
   * @param rated whether rows carry a rating (half stars 0.5–5, and some 3.7s to test the float comparison)
   */
  public RandomLog(long seed, int rowCount, int users, int items, IntFunction<Object> userId, boolean rated) {
    SplittableRandom random = new SplittableRandom(seed);
    this.rated = rated;
    this.userType = userId.apply(0) instanceof Integer ? DataTypes.IntegerType : DataTypes.StringType;
    for (int r = 0; r < rowCount; r++) {
      int u = (int) (users * Math.pow(random.nextDouble(), 2));
      // A user's items lean on a band of the catalogue, so items get popular and unpopular.
      int i = Math.floorMod(u * 7 + (int) (items * Math.pow(random.nextDouble(), 3)), items);
      float rating = random.nextInt(20) == 0 ? 3.7f : (1 + random.nextInt(10)) / 2f;
      rows.add(new Object[] {userId.apply(u), i, rating});
    }
  }

  /** The log as core reads it. */
  public Interactions interactions() {
    Interactions.Builder builder = new Interactions.Builder(rated, false);
    for (Object[] row : rows) {
      builder.add(row[0].toString(), row[1].toString(), (Float) row[2], 0L);
    }
    return builder.build(new ReadReport(List.of("random"), rows.size(), 0, builder.duplicatePairs()));
  }

  /** The log as a DataFrame {@code (user, item: int, rating: float)} spread over {@code slices} partitions. */
  public Dataset<Row> frame(SparkSession spark, int slices) {
    List<Row> list = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      list.add(RowFactory.create(row));
    }
    StructType schema = new StructType()
        .add("user", userType, false)
        .add("item", DataTypes.IntegerType, false)
        .add("rating", DataTypes.FloatType, false);
    return spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(list, slices), schema);
  }
}
