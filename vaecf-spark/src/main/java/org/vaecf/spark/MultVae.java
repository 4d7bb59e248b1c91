package org.vaecf.spark;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.data.split.SplitRng;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.TrainedModel;
import org.vaecf.spark.prepare.Columns;
import org.vaecf.spark.prepare.DistributedSplit;
import org.vaecf.spark.prepare.SplitOnSpark;
import org.vaecf.spark.score.IdType;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;

/**
 * Mult-VAE (Liang, Krishnan, Hoffman, Jebara, "Variational Autoencoders for Collaborative Filtering", WWW 2018) as a
 * Spark ML {@link Estimator}, used like ALS:
 *
 * <pre>{@code
 * MultVaeModel model = new MultVae()
 *     .setUserCol("userId").setItemCol("movieId").setRatingCol("rating")
 *     .setHeldOutUsers(10_000)
 *     .fit(ratings);
 * Dataset<Row> top100 = model.recommendForAllUsers(100);   // user, recommendations: array<struct<movieId, score>>
 * }</pre>
 *
 * <p><b>What runs where.</b> {@link #fit} prepares the data on the cluster as the paper does — repeated pairs
 * merged, ratings above the threshold kept, users with too few dropped, users permuted into training, validation and
 * test, items indexed, each user's items gathered — with DataFrame operations ({@link DistributedSplit}). Only the
 * compact results come to the driver: one permutation entry per user, the item list, the training matrix as item
 * columns per training user, and the held-out users' items. The driver then trains with core's {@link Trainer}
 * (validating every epoch to keep the best one) and measures the test users. The returned {@link MultVaeModel}
 * holds the weights in memory and every kept user's history as a cached DataFrame; it depends on no local file.
 *
 * <p>With the same log in the same order, the same settings, seed and {@link #setThreads threads}, the split equals
 * {@code vaecf prepare}'s and the model equals {@code vaecf train}'s, bit for bit.
 */
public final class MultVae extends Estimator<MultVaeModel> implements MultVaeParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MultVae.class);

  private final String uid;
  private final Param<String> userCol;
  private final Param<String> itemCol;
  private final Param<String> itemsCol;
  private final Param<String> predictionCol;
  private final IntParam k;
  private final Param<String> coldStartStrategy;
  private final IntParam blockSize;
  private final Param<String> ratingCol;
  private final DoubleParam ratingThreshold;
  private final IntParam minUserInteractions;
  private final IntParam heldOutUsers;
  private final LongParam seed;
  private final IntArrayParam hidden;
  private final IntParam latent;
  private final DoubleParam dropout;
  private final IntParam epochs;
  private final IntParam batchSize;
  private final DoubleParam learningRate;
  private final DoubleParam annealCap;
  private final LongParam totalAnnealSteps;
  private final IntParam threads;
  private final IntParam numUserBlocks;

  /** An estimator with the paper's settings; {@link #setHeldOutUsers} must still be called. */
  public MultVae() {
    this(Identifiable.randomUID("multVae"));
  }

  /** An estimator with the given uid (used when Spark copies or loads it). */
  public MultVae(String uid) {
    this.uid = uid;
    userCol = ParamFactory.userCol(this);
    itemCol = ParamFactory.itemCol(this);
    itemsCol = ParamFactory.itemsCol(this);
    predictionCol = ParamFactory.predictionCol(this);
    k = ParamFactory.k(this);
    coldStartStrategy = ParamFactory.coldStartStrategy(this);
    blockSize = ParamFactory.blockSize(this);
    ratingCol = ParamFactory.ratingCol(this);
    ratingThreshold = ParamFactory.ratingThreshold(this);
    minUserInteractions = ParamFactory.minUserInteractions(this);
    heldOutUsers = ParamFactory.heldOutUsers(this);
    seed = ParamFactory.seed(this);
    hidden = ParamFactory.hidden(this);
    latent = ParamFactory.latent(this);
    dropout = ParamFactory.dropout(this);
    epochs = ParamFactory.epochs(this);
    batchSize = ParamFactory.batchSize(this);
    learningRate = ParamFactory.learningRate(this);
    annealCap = ParamFactory.annealCap(this);
    totalAnnealSteps = ParamFactory.totalAnnealSteps(this);
    threads = ParamFactory.threads(this);
    numUserBlocks = ParamFactory.numUserBlocks(this);
    ParamFactory.setEstimatorDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
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

  @Override
  public Param<String> ratingCol() {
    return ratingCol;
  }

  @Override
  public DoubleParam ratingThreshold() {
    return ratingThreshold;
  }

  @Override
  public IntParam minUserInteractions() {
    return minUserInteractions;
  }

  @Override
  public IntParam heldOutUsers() {
    return heldOutUsers;
  }

  @Override
  public LongParam seed() {
    return seed;
  }

  @Override
  public IntArrayParam hidden() {
    return hidden;
  }

  @Override
  public IntParam latent() {
    return latent;
  }

  @Override
  public DoubleParam dropout() {
    return dropout;
  }

  @Override
  public IntParam epochs() {
    return epochs;
  }

  @Override
  public IntParam batchSize() {
    return batchSize;
  }

  @Override
  public DoubleParam learningRate() {
    return learningRate;
  }

  @Override
  public DoubleParam annealCap() {
    return annealCap;
  }

  @Override
  public LongParam totalAnnealSteps() {
    return totalAnnealSteps;
  }

  @Override
  public IntParam threads() {
    return threads;
  }

  @Override
  public IntParam numUserBlocks() {
    return numUserBlocks;
  }

  // ---- setters: each fails with the param's name, its rule and the value ---------------------------------------

  public MultVae setUserCol(String value) {
    return put(userCol, value);
  }

  public MultVae setItemCol(String value) {
    return put(itemCol, value);
  }

  public MultVae setItemsCol(String value) {
    return put(itemsCol, value);
  }

  public MultVae setPredictionCol(String value) {
    return put(predictionCol, value);
  }

  public MultVae setK(int value) {
    return put(k, value);
  }

  /** One of {@code "empty"}, {@code "drop"}, {@code "generic"}; see {@link ColdStartStrategy}. */
  public MultVae setColdStartStrategy(String value) {
    return put(coldStartStrategy, value);
  }

  public MultVae setBlockSize(int value) {
    return put(blockSize, value);
  }

  /** The rating column, or {@code ""} when the log has none (every interaction is then positive). */
  public MultVae setRatingCol(String value) {
    return put(ratingCol, value);
  }

  public MultVae setRatingThreshold(double value) {
    return put(ratingThreshold, value);
  }

  public MultVae setMinUserInteractions(int value) {
    return put(minUserInteractions, value);
  }

  public MultVae setHeldOutUsers(int value) {
    return put(heldOutUsers, value);
  }

  public MultVae setSeed(long value) {
    return put(seed, value);
  }

  /** Hidden widths, outermost first; none for {@code [I → latent → I]}. */
  public MultVae setHidden(int... value) {
    return put(hidden, value.clone());
  }

  public MultVae setLatent(int value) {
    return put(latent, value);
  }

  public MultVae setDropout(double value) {
    return put(dropout, value);
  }

  public MultVae setEpochs(int value) {
    return put(epochs, value);
  }

  public MultVae setBatchSize(int value) {
    return put(batchSize, value);
  }

  public MultVae setLearningRate(double value) {
    return put(learningRate, value);
  }

  public MultVae setAnnealCap(double value) {
    return put(annealCap, value);
  }

  public MultVae setTotalAnnealSteps(long value) {
    return put(totalAnnealSteps, value);
  }

  public MultVae setThreads(int value) {
    return put(threads, value);
  }

  public MultVae setNumUserBlocks(int value) {
    return put(numUserBlocks, value);
  }

  private <T> MultVae put(Param<T> param, T value) {
    set(param, ParamFactory.checked(param, value));
    return this;
  }

  // ---- fitting ------------------------------------------------------------------------------------------------

  /**
   * Prepares {@code dataset} on the cluster, trains on the driver and measures the test users.
   *
   * @throws IllegalArgumentException if {@code heldOutUsers} is unset, a column is missing or of the wrong type, a
   *     row lacks a user, item or rating, or too few users are left for the held-out users asked for
   */
  @Override
  public MultVaeModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    if (!isDefined(heldOutUsers)) {
      throw new IllegalArgumentException(
          "heldOutUsers must be set: the number of users held out for validation, and again for test "
              + "(the paper used 10000 on ML-20M's 136,677 users)");
    }
    StrongGeneralizationConfig splitConfig = new StrongGeneralizationConfig(
        getRatingThreshold(), getMinUserInteractions(), getHeldOutUsers(), getSeed(), SplitRng.NUMPY_LEGACY,
        StrongGeneralizationConfig.DEFAULT_TEST_PROPORTION);
    Optional<String> rating = getRatingCol().isEmpty() ? Optional.empty() : Optional.of(getRatingCol());
    long started = System.nanoTime();
    SplitOnSpark split = new DistributedSplit(splitConfig, getUserCol(), getItemCol(), rating, getNumUserBlocks())
        .split(dataset);
    double preparationSeconds = (System.nanoTime() - started) / 1e9;

    int threadCount = isDefined(threads) ? (Integer) getOrDefault(threads) : Runtime.getRuntime().availableProcessors();
    started = System.nanoTime();
    TrainedModel trained = new Trainer(modelConfig(), trainConfig(threadCount)).train(split.data());
    TestSetEvaluation.Result test = TestSetEvaluation.evaluate(trained, split.data().test(), threadCount);
    double trainingSeconds = (System.nanoTime() - started) / 1e9;
    LOG.info("test metrics on {} users: {}", test.users(), test.values());

    MultVaeSummary summary = new MultVaeSummary(
        split.data().stats(), trained.training().validationMetric(), trained.training().bestEpoch(),
        trained.training().bestValidation(), test.values(), test.standardErrors(), test.users(),
        preparationSeconds, trainingSeconds);
    MultVaeModel model =
        new MultVaeModel(uid, trained, split.histories(), split.userType(), split.itemType(), summary);
    copyValues(model, ParamMap.empty());
    return model.setParent(this);
  }

  private ModelConfig modelConfig() {
    return new ModelConfig(
        ModelType.MULT_VAE, Arrays.stream(getHidden()).boxed().toList(), getLatent(), (float) getDropout());
  }

  private TrainConfig trainConfig(int threadCount) {
    return TrainConfig.builder(ModelType.MULT_VAE)
        .epochs(getEpochs())
        .batchSize(getBatchSize())
        .learningRate((float) getLearningRate())
        .annealCap(getAnnealCap())
        .totalAnnealSteps(isDefined(totalAnnealSteps)
            ? OptionalLong.of((Long) getOrDefault(totalAnnealSteps))
            : OptionalLong.empty())
        .seed(getSeed())
        .threads(threadCount)
        .build();
  }

  /**
   * Checks that the log's columns exist and have usable types, and returns the schema unchanged: the model's
   * {@code transform} reads histories ({@code itemsCol}), not the interaction log this estimator is fitted on.
   *
   * @throws IllegalArgumentException naming a missing column or one of the wrong type
   */
  @Override
  public StructType transformSchema(StructType schema) {
    IdType.of(Columns.type(schema, getUserCol()), getUserCol());
    IdType.of(Columns.type(schema, getItemCol()), getItemCol());
    if (!getRatingCol().isEmpty()) {
      if (!Arrays.asList(schema.fieldNames()).contains(getRatingCol())) {
        throw new IllegalArgumentException("no column " + getRatingCol() + " in the input; its columns are "
            + Arrays.toString(schema.fieldNames()) + " (setRatingCol(\"\") for a log without ratings)");
      }
      Columns.requireNumericOrString(schema, getRatingCol());
    }
    return schema;
  }

  @Override
  public MultVae copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Reads an estimator saved with {@code write().save(path)}: its params. */
  public static MLReader<MultVae> read() {
    return new DefaultParamsReadable<MultVae>() {}.read();
  }

  /** {@code read().load(path)}. */
  public static MultVae load(String path) {
    return read().load(path);
  }
}
