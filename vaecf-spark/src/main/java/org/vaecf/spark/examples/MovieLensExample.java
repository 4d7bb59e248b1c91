package org.vaecf.spark.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaecf.spark.MultVae;
import org.vaecf.spark.MultVaeModel;

/**
 * Mult-VAE on a MovieLens {@code ratings.csv} (header {@code userId,movieId,rating,timestamp}), end to end: fit, read
 * the test metrics, recommend for every user, save, load, and recommend for a new user's history.
 *
 * <pre>
 * spark-submit --master 'local[2]' --class org.vaecf.spark.examples.MovieLensExample \
 *   vaecf-spark/target/vaecf-spark-assembly.jar RATINGS_CSV HELD_OUT_USERS EPOCHS MODEL_DIR
 * </pre>
 */
public final class MovieLensExample {
  private MovieLensExample() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: MovieLensExample RATINGS_CSV HELD_OUT_USERS EPOCHS MODEL_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("vaecf MovieLens example").getOrCreate();
    Dataset<Row> ratings = spark.read().option("header", "true").option("inferSchema", "true").csv(args[0]);

    MultVaeModel model = new MultVae()
        .setUserCol("userId").setItemCol("movieId").setRatingCol("rating")
        .setHeldOutUsers(Integer.parseInt(args[1]))
        .setEpochs(Integer.parseInt(args[2]))
        .fit(ratings);
    System.out.println("split: " + model.summary().data());
    System.out.println("best epoch " + model.summary().bestEpoch() + ", test metrics on " + model.summary().testUsers()
        + " users: " + model.summary().test());

    Dataset<Row> top10 = model.recommendForAllUsers(10);
    top10.select(col("userId"), explode(col("recommendations")).as("r"))
        .select(col("userId"), col("r.movieId"), col("r.score"))
        .show(10, false);

    model.write().overwrite().save(args[3]);
    MultVaeModel loaded = MultVaeModel.load(args[3]);
    // A user the model never saw, folded in from three movies: no retraining.
    StructType schema = new StructType().add("items", DataTypes.createArrayType(DataTypes.IntegerType));
    Dataset<Row> newUser = spark.createDataFrame(List.of(RowFactory.create(List.of(1, 260, 1196))), schema);
    loaded.setK(5).transform(newUser).show(false);
    spark.stop();
  }
}
