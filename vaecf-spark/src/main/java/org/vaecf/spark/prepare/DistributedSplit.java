package org.vaecf.spark.prepare;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.Provenance;
import org.vaecf.data.split.StrongGeneralizationConfig;

/**
 * The strong-generalization split of Liang et al. (WWW 2018) on a Spark DataFrame, giving the same
 * {@link PreparedData} as core's {@code StrongGeneralizationSplitter} on the same log in the same order:
 *
 * <ol>
 *   <li>on the cluster: repeated (user, item) pairs merged (first position, highest rating), ratings binarised at the
 *       threshold (compared in float), users with too few positives dropped;
 *   <li>on the cluster: users numbered in groupby order ({@link UserRanks}); on the driver: the notebook's
 *       permutation of those numbers, an {@code int} per user, broadcast back; the last users of the permuted order
 *       are test users, the as many before them validation users;
 *   <li>on the cluster: the item index, the training users' items by first position (gathered on the driver as the
 *       model's item list), and each user's items as item columns;
 *   <li>gathered on the driver: the training matrix (one compact row of item columns per training user), and the
 *       held-out users' items in log order, whose fold-in/held-out draws are the one sequential step
 *       ({@link HeldOutDraw}).
 * </ol>
 *
 * Also returned, cached on the cluster: every kept user's history, which the model recommends from.
 */
public final class DistributedSplit {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedSplit.class);
  private static final String PERMUTED = "p";
  private static final String COLUMN = "col";
  private static final String COUNT = "n";
  private static final String FIRST = "first";

  private final StrongGeneralizationConfig config;
  private final String userCol;
  private final String itemCol;
  private final Optional<String> ratingCol;
  private final int historyBlocks;

  /**
   * @param config the split's settings (its generator must be the one whose draws are wanted; the paper's is NumPy's
   *     legacy generator)
   * @param userCol input column of user ids
   * @param itemCol input column of item ids
   * @param ratingCol input column of ratings, or empty for a log without ratings
   * @param historyBlocks partitions of the returned histories, which the model's recommendations keep
   */
  public DistributedSplit(StrongGeneralizationConfig config, String userCol, String itemCol,
      Optional<String> ratingCol, int historyBlocks) {
    this.config = Objects.requireNonNull(config, "config");
    this.userCol = Objects.requireNonNull(userCol, "userCol");
    this.itemCol = Objects.requireNonNull(itemCol, "itemCol");
    this.ratingCol = Objects.requireNonNull(ratingCol, "ratingCol");
    if (historyBlocks < 1) {
      throw new IllegalArgumentException("historyBlocks must be >= 1, got " + historyBlocks);
    }
    this.historyBlocks = historyBlocks;
    if (userCol.equals(SplitOnSpark.HISTORY)) {
      throw new IllegalArgumentException("userCol must not be \"" + SplitOnSpark.HISTORY + "\": the histories "
          + "the model keeps use that name for their item column; rename the user column");
    }
  }

  /**
   * Splits {@code input}.
   *
   * @throws IllegalArgumentException if a column is missing or of the wrong type, a row lacks a value, or too few
   *     users are left for the held-out users asked for
   */
  public SplitOnSpark split(Dataset<?> input) {
    long started = System.nanoTime();
    SparkSession spark = input.sparkSession();
    InteractionLog log = InteractionLog.of(input, userCol, itemCol, ratingCol);
    InteractionLog.Summary summary = log.summarize(userCol, itemCol, ratingCol);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      // Cached so that every later step sees the same positions, whatever the input's own caching.
      Dataset<Row> pairs = cache(cached, log.rows()
          .groupBy(InteractionLog.USER, InteractionLog.ITEM)
          .agg(min(InteractionLog.POSITION).as(InteractionLog.POSITION),
              max(InteractionLog.RATING).as(InteractionLog.RATING)));
      long pairCount = pairs.count();
      Dataset<Row> positives = log.rated()
          ? pairs.where(col(InteractionLog.RATING).gt(lit((float) config.ratingThreshold())))
          : pairs;
      Dataset<Row> kept = positives
          .withColumn(COUNT, count(lit(1)).over(Window.partitionBy(InteractionLog.USER)))
          .where(col(COUNT).geq(config.minUserInteractions()))
          .select(InteractionLog.USER, InteractionLog.ITEM, InteractionLog.POSITION);
      kept = cache(cached, kept);
      long keptInteractions = kept.count();

      Dataset<Row> ranks = cache(cached, UserRanks.rank(kept, log.userType(), summary.integerUserIds()));
      int users = checkedUserCount(ranks.count());
      int trainCount = users - 2 * config.heldOutUsers();
      int[] permutedPlace = permutedPlaces(users);
      Broadcast<int[]> places = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(permutedPlace);
      Dataset<Row> placed = kept.join(
          ranks.withColumn(PERMUTED, permutedPlaceOf(places).apply(col(UserRanks.RANK))), InteractionLog.USER);

      IdIndex items = itemIndex(placed, trainCount);
      Dataset<Row> columns = cache(cached, placed.join(itemColumns(spark, items), InteractionLog.ITEM, "left"));

      CsrMatrix.Builder train = new CsrMatrix.Builder(items.size());
      IdIndex trainUsers = trainingRows(columns, trainCount, train);
      CsrMatrix trainMatrix = train.build();
      HeldOutDraw draw = new HeldOutDraw(config, items.size());
      List<HeldOutDraw.User> heldOut = heldOutUsers(columns, trainCount);
      int testFrom = trainCount + config.heldOutUsers();
      HeldOutSet validation = draw.draw(heldOut.stream().filter(u -> u.permuted() < testFrom).toList());
      HeldOutSet test = draw.draw(heldOut.stream().filter(u -> u.permuted() >= testFrom).toList());

      Dataset<Row> histories = columns
          .groupBy(InteractionLog.USER)
          .agg(array_sort(collect_list(COLUMN)).as(SplitOnSpark.HISTORY))
          .select(col(InteractionLog.USER).cast(log.userType().sparkType()).as(userCol),
              col(SplitOnSpark.HISTORY))
          .repartition(historyBlocks, col(userCol))
          .persist(StorageLevel.MEMORY_AND_DISK());
      histories.count();
      places.destroy();

      PreparationStats stats = new PreparationStats(
          trainCount, items.size(), trainMatrix.nnz(), validation.size(), test.size(),
          validation.foldIn().nnz(), validation.heldOut().nnz(), test.foldIn().nnz(), test.heldOut().nnz(),
          summary.rows(), 0, summary.rows() - pairCount, keptInteractions, users,
          draw.unseenInteractions(), draw.droppedUsers());
      Provenance provenance = new Provenance("spark", List.of(input.inputFiles()), config);
      PreparedData data = new PreparedData(items, trainUsers, trainMatrix, validation, test, stats)
          .withProvenance(provenance);
      LOG.info("prepared on Spark in {} s: {} rows, {} users kept ({} training, {} validation, {} test), {} items, "
              + "{} training interactions",
          String.format("%.1f", (System.nanoTime() - started) / 1e9), summary.rows(), users, trainCount,
          validation.size(), test.size(), items.size(), trainMatrix.nnz());
      return new SplitOnSpark(data, histories, log.userType(), log.itemType());
    } finally {
      for (Dataset<Row> dataset : cached) {
        dataset.unpersist();
      }
    }
  }

  private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> dataset) {
    Dataset<Row> persisted = dataset.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(persisted);
    return persisted;
  }

  private int checkedUserCount(long users) {
    if (users > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(users + " users are more than one training matrix can index");
    }
    if (2L * config.heldOutUsers() >= users) {
      throw new IllegalArgumentException(
          "heldOutUsers = " + config.heldOutUsers() + " needs more than " + 2L * config.heldOutUsers()
              + " users, but " + users + " are left after keeping ratings > " + config.ratingThreshold()
              + " and users with at least " + config.minUserInteractions() + " interactions; lower heldOutUsers");
    }
    return (int) users;
  }

  /** Where each user (by groupby rank) lands in the notebook's permutation: the inverse of the permutation. */
  private int[] permutedPlaces(int users) {
    int[] permutation = config.rng().create(config.seed()).permutation(users);
    int[] place = new int[users];
    for (int i = 0; i < users; i++) {
      place[permutation[i]] = i;
    }
    return place;
  }

  private static UserDefinedFunction permutedPlaceOf(Broadcast<int[]> places) {
    return udf((UDF1<Long, Integer>) rank -> places.value()[Math.toIntExact(rank)], DataTypes.IntegerType);
  }

  /** The training users' items in order of first position, gathered on the driver. */
  private static IdIndex itemIndex(Dataset<Row> placed, int trainCount) {
    List<String> ids = placed
        .where(col(PERMUTED).lt(trainCount))
        .groupBy(InteractionLog.ITEM)
        .agg(min(InteractionLog.POSITION).as(FIRST))
        .orderBy(FIRST)
        .select(InteractionLog.ITEM)
        .as(Encoders.STRING())
        .collectAsList();
    return IdIndex.of(ids);
  }

  private static Dataset<Row> itemColumns(SparkSession spark, IdIndex items) {
    List<Row> rows = new ArrayList<>(items.size());
    for (int c = 0; c < items.size(); c++) {
      rows.add(RowFactory.create(items.rawId(c), c));
    }
    StructType schema = new StructType()
        .add(InteractionLog.ITEM, DataTypes.StringType, false)
        .add(COLUMN, DataTypes.IntegerType, false);
    return spark.createDataFrame(rows, schema);
  }

  /** Gathers the training rows on the driver and adds them to {@code train} in permuted order. */
  private static IdIndex trainingRows(Dataset<Row> columns, int trainCount, CsrMatrix.Builder train) {
    List<TrainingRow> gathered = columns
        .where(col(PERMUTED).lt(trainCount))
        .groupBy(PERMUTED, InteractionLog.USER)
        .agg(collect_list(COLUMN))
        .javaRDD()
        .map(row -> new TrainingRow(row.getInt(0), row.getString(1), toInts(row.getList(2))))
        .collect();
    TrainingRow[] byPlace = new TrainingRow[trainCount];
    for (TrainingRow row : gathered) {
      byPlace[row.permuted()] = row;
    }
    List<String> ids = new ArrayList<>(trainCount);
    for (TrainingRow row : byPlace) {
      ids.add(row.user());
      train.addRow(row.columns());
    }
    return IdIndex.of(ids);
  }

  /** Gathers the validation and test users with their known items in log order. */
  private static List<HeldOutDraw.User> heldOutUsers(Dataset<Row> columns, int trainCount) {
    return columns
        .where(col(PERMUTED).geq(trainCount))
        .groupBy(UserRanks.RANK, PERMUTED, InteractionLog.USER)
        .agg(collect_list(struct(col(InteractionLog.POSITION), col(COLUMN))))
        .javaRDD()
        .map(DistributedSplit::heldOutUser)
        .collect();
  }

  private static HeldOutDraw.User heldOutUser(Row row) {
    List<Row> entries = new ArrayList<>(row.getList(3));
    entries.sort(Comparator.comparingLong(entry -> entry.getLong(0)));
    int[] known = new int[entries.size()];
    int count = 0;
    for (Row entry : entries) {
      if (!entry.isNullAt(1)) {
        known[count++] = entry.getInt(1);
      }
    }
    return new HeldOutDraw.User(row.getLong(0), row.getInt(1), row.getString(2),
        java.util.Arrays.copyOf(known, count), entries.size() - count);
  }

  private static int[] toInts(List<Integer> values) {
    int[] result = new int[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }

  /** One training user's row, gathered on the driver. */
  private record TrainingRow(int permuted, String user, int[] columns) implements Serializable {}
}
