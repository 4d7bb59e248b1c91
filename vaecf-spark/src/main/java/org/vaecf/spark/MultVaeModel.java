package org.vaecf.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaecf.model.TrainedModel;
import org.vaecf.spark.prepare.Columns;
import org.vaecf.spark.prepare.SplitOnSpark;
import org.vaecf.spark.score.BroadcastModel;
import org.vaecf.spark.score.HistoryReader;
import org.vaecf.spark.score.IdType;
import org.vaecf.spark.score.OutputRow;
import org.vaecf.spark.score.PartitionRecommender;
import org.vaecf.spark.score.RecommendationSchema;

/**
 * A trained Mult-VAE on Spark: recommends by folding users' histories in through the encoder, in prediction mode
 * (no dropout, z = µ), so the same history always gets the same list and a user unseen in training needs no
 * retraining.
 *
 * <ul>
 *   <li>{@link #recommendForAllUsers(int)} and {@link #recommendForUserSubset(Dataset, int)} recommend for users the
 *       model was fitted on, from their histories, in ALS's shape: {@code (userCol, recommendations:
 *       array<struct<itemCol, score>>)};
 *   <li>{@link #transform(Dataset)} recommends {@link #getK() k} items for each row's {@code itemsCol}, an array of
 *       item ids, into {@code predictionCol}.
 * </ul>
 *
 * Scores are the items' probabilities under the user's multinomial ({@code softmax} of the decoder's logits over all
 * items); a user's own items are never recommended. The weights are broadcast once per model; each partition scores
 * its rows {@code blockSize} at a time with one matrix product per layer. Histories without a known item follow the
 * {@link ColdStartStrategy}.
 */
public final class MultVaeModel extends Model<MultVaeModel> implements MultVaeModelParams, MLWritable {
  private static final long serialVersionUID = 1L;
  /** Name of the list column of {@link #recommendForAllUsers} and {@link #recommendForUserSubset}, as in ALS. */
  public static final String RECOMMENDATIONS = "recommendations";

  private final String uid;
  // The model lives on the driver; executors receive the broadcast, never this object.
  private final transient TrainedModel trained;
  private final transient Dataset<Row> histories;
  private final IdType userType;
  private final IdType itemType;
  private final MultVaeSummary summary;
  private transient Broadcast<BroadcastModel> broadcast;

  private final Param<String> userCol;
  private final Param<String> itemCol;
  private final Param<String> itemsCol;
  private final Param<String> predictionCol;
  private final IntParam k;
  private final Param<String> coldStartStrategy;
  private final IntParam blockSize;

  /**
   * @param uid the uid of the estimator that fitted it (Spark's convention)
   * @param trained the core model
   * @param histories {@code (user, history: array<int>)}: every known user's items as item columns of
   *     {@code trained}
   * @param userType type of the user ids
   * @param itemType type of the item ids
   * @param summary what fitting found
   */
  MultVaeModel(String uid, TrainedModel trained, Dataset<Row> histories, IdType userType, IdType itemType,
      MultVaeSummary summary) {
    this.uid = Objects.requireNonNull(uid, "uid");
    this.trained = Objects.requireNonNull(trained, "trained");
    this.histories = Objects.requireNonNull(histories, "histories");
    this.userType = Objects.requireNonNull(userType, "userType");
    this.itemType = Objects.requireNonNull(itemType, "itemType");
    this.summary = Objects.requireNonNull(summary, "summary");
    userCol = ParamFactory.userCol(this);
    itemCol = ParamFactory.itemCol(this);
    itemsCol = ParamFactory.itemsCol(this);
    predictionCol = ParamFactory.predictionCol(this);
    k = ParamFactory.k(this);
    coldStartStrategy = ParamFactory.coldStartStrategy(this);
    blockSize = ParamFactory.blockSize(this);
    ParamFactory.setModelDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The core model: architecture, item index, weights and training record. */
  public TrainedModel trainedModel() {
    return trained;
  }

  /** The split's counts, the chosen epoch and the test metrics. */
  public MultVaeSummary summary() {
    return summary;
  }

  /**
   * Every user kept by the filters at fitting time, with their positive items that the model knows:
   * {@code (user, history: array<int>)}, the history as the model's item columns (see {@link #trainedModel()}'s
   * item index). This is what {@link #recommendForAllUsers} folds in.
   */
  public Dataset<Row> userHistories() {
    return histories;
  }

  /** The type of the user ids the model was fitted on. */
  public IdType userIdType() {
    return userType;
  }

  /** The type of the item ids the model was fitted on; recommendations carry items of this type. */
  public IdType itemIdType() {
    return itemType;
  }

  // ---- params -------------------------------------------------------------------------------------------------

  @Override
  public Param<String> userCol() {
    return userCol;
  }

  @Override
  public Param<String> itemCol() {
    return itemCol;
  }

  @Override
  public Param<String> itemsCol() {
    return itemsCol;
  }

  @Override
  public Param<String> predictionCol() {
    return predictionCol;
  }

  @Override
  public IntParam k() {
    return k;
  }

  @Override
  public Param<String> coldStartStrategy() {
    return coldStartStrategy;
  }

  @Override
  public IntParam blockSize() {
    return blockSize;
  }

  public MultVaeModel setUserCol(String value) {
    return put(userCol, value);
  }

  public MultVaeModel setItemCol(String value) {
    return put(itemCol, value);
  }

  public MultVaeModel setItemsCol(String value) {
    return put(itemsCol, value);
  }

  public MultVaeModel setPredictionCol(String value) {
    return put(predictionCol, value);
  }

  public MultVaeModel setK(int value) {
    return put(k, value);
  }

  /** One of {@code "empty"}, {@code "drop"}, {@code "generic"}; see {@link ColdStartStrategy}. */
  public MultVaeModel setColdStartStrategy(String value) {
    return put(coldStartStrategy, value);
  }

  public MultVaeModel setBlockSize(int value) {
    return put(blockSize, value);
  }

  private <T> MultVaeModel put(Param<T> param, T value) {
    set(param, ParamFactory.checked(param, value));
    return this;
  }

  // ---- recommending -------------------------------------------------------------------------------------------

  /**
   * The top {@code numItems} items for every user of {@link #userHistories()}.
   *
   * @return {@code (userCol, recommendations: array<struct<itemCol, score>>)}, best first
   * @throws IllegalArgumentException if {@code numItems < 1}
   */
  public Dataset<Row> recommendForAllUsers(int numItems) {
    Dataset<Row> users = histories.toDF(getUserCol(), SplitOnSpark.HISTORY);
    return recommendFromHistories(users, numItems);
  }

  /**
   * The top {@code numItems} items for the distinct users in {@code dataset}'s {@code userCol}. A user the model was
   * not fitted on has no history and is a cold start.
   *
   * @return {@code (userCol, recommendations: array<struct<itemCol, score>>)}, best first
   * @throws IllegalArgumentException if {@code numItems < 1} or the user column is missing
   */
  public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int numItems) {
    String user = getUserCol();
    Columns.type(dataset.schema(), user);
    Dataset<Row> wanted = dataset.select(col(user).cast(userType.sparkType()).as(user)).distinct();
    Dataset<Row> users = wanted.join(histories.toDF(user, SplitOnSpark.HISTORY), user, "left")
        .select(user, SplitOnSpark.HISTORY);
    return recommendFromHistories(users, numItems);
  }

  private Dataset<Row> recommendFromHistories(Dataset<Row> users, int numItems) {
    if (numItems < 1) {
      throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
    }
    StructType schema = new StructType()
        .add(getUserCol(), userType.sparkType(), true)
        .add(RECOMMENDATIONS, RecommendationSchema.listType(getItemCol(), itemType), false);
    PartitionRecommender recommender = new PartitionRecommender(broadcast(users.sparkSession()),
        HistoryReader.itemColumns(1), OutputRow.keyAndRecommendations(0), numItems, getBlockSize(),
        ColdStartStrategy.fromParam(getColdStartStrategy()));
    return users.mapPartitions(recommender, Encoders.row(schema));
  }

  /**
   * Adds {@code predictionCol}: for each row, the top {@code k} items given the history in {@code itemsCol} (an
   * array of item ids of any supported type; unknown ids are ignored, repeats count once), history excluded.
   *
   * @throws IllegalArgumentException if {@code itemsCol} is missing or not an array of ids, or {@code predictionCol}
   *     already exists
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema());
    int field = Arrays.asList(dataset.schema().fieldNames()).indexOf(getItemsCol());
    PartitionRecommender recommender = new PartitionRecommender(broadcast(dataset.sparkSession()),
        HistoryReader.rawIds(field), OutputRow.appendRecommendations(), getK(), getBlockSize(),
        ColdStartStrategy.fromParam(getColdStartStrategy()));
    return dataset.toDF().mapPartitions(recommender, Encoders.row(schema));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    DataType items = Columns.type(schema, getItemsCol());
    if (!(items instanceof ArrayType array)
        || !Arrays.asList(DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType)
            .contains(array.elementType())) {
      throw new IllegalArgumentException(
          "column " + getItemsCol() + " must be an array of item ids (int, bigint or string), got "
              + items.simpleString());
    }
    if (Arrays.asList(schema.fieldNames()).contains(getPredictionCol())) {
      throw new IllegalArgumentException("column " + getPredictionCol() + " already exists; set predictionCol");
    }
    return schema.add(getPredictionCol(), RecommendationSchema.listType(getItemCol(), itemType), false);
  }

  /** The model as a broadcast, made on first use and shared by every later call (and by copies of this model). */
  private synchronized Broadcast<BroadcastModel> broadcast(SparkSession spark) {
    if (broadcast == null) {
      // Never destroyed here: copies of this model share the broadcast, and any of them may still recommend. Spark's
      // ContextCleaner removes it once none is reachable, and the block managers then close the BroadcastModel,
      // which frees the executors' pooled networks.
      broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .broadcast(BroadcastModel.of(trained, itemType));
    }
    return broadcast;
  }

  @Override
  public MultVaeModel copy(ParamMap extra) {
    MultVaeModel copy = new MultVaeModel(uid, trained, histories, userType, itemType, summary);
    copy.broadcast = broadcast;
    return copyValues(copy, extra).setParent(parent());
  }

  // ---- persistence --------------------------------------------------------------------------------------------

  /**
   * A writer that saves the model to a directory of any Hadoop file system: {@code metadata/} (one line of JSON:
   * Spark's usual fields, format version, params, id types, summary), {@code bundle/} (core's model bundle:
   * {@code model.json}, {@code items.tsv}, {@code weights.bin}) and {@code histories/} (Parquet). A
   * {@code PipelineModel} holding the model saves and loads it through this writer and {@link #read()}.
   */
  @Override
  public MLWriter write() {
    return new MultVaeModelWriter(this);
  }

  /** A reader for models saved with {@link #write()}. */
  public static MLReader<MultVaeModel> read() {
    return new MultVaeModelReader();
  }

  /** {@code read().load(path)}. */
  public static MultVaeModel load(String path) {
    return read().load(path);
  }
}
