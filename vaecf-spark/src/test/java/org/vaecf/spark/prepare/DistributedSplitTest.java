package org.vaecf.spark.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.spark.SparkTestSession;
import org.vaecf.spark.score.IdType;

/**
 * The split on Spark must equal core's {@code StrongGeneralizationSplitter} on the same log, part for part and count
 * for count: that is what makes a model fitted on Spark the same as one trained from {@code vaecf prepare}. The logs
 * are random and small, so held-out users with items unseen in training, users dropped by the filters and repeated
 * pairs all occur.
 */
class DistributedSplitTest {
  private final SparkSession spark = SparkTestSession.get();

  private static void assertSameSplit(PreparedData spark, PreparedData core) {
    assertThat(spark.items()).isEqualTo(core.items());
    assertThat(spark.trainUsers()).isEqualTo(core.trainUsers());
    assertThat(spark.train()).isEqualTo(core.train());
    assertThat(spark.validation()).isEqualTo(core.validation());
    assertThat(spark.test()).isEqualTo(core.test());
    assertThat(spark.stats()).isEqualTo(core.stats());
  }

  private PreparedData splitOnSpark(Dataset<Row> frame, StrongGeneralizationConfig config, boolean rated) {
    Optional<String> rating = rated ? Optional.of("rating") : Optional.empty();
    SplitOnSpark split = new DistributedSplit(config, "user", "item", rating, 3).split(frame);
    split.histories().unpersist();
    return split.data();
  }

  @Test
  void integerUsersGiveCoresSplit() {
    RandomLog log = new RandomLog(1, 6_000, 400, 300, u -> u * 3 + 1, true);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(25);
    PreparedData core = config.splitter().split(log.interactions());
    PreparedData distributed = splitOnSpark(log.frame(spark, 3), config, true);

    assertSameSplit(distributed, core);
    // The cases the comparison must cover did occur.
    assertThat(core.stats().duplicatePairs()).isPositive();
    assertThat(core.stats().unseenItemInteractions()).isPositive();
    assertThat(core.stats().usersAfterFilter()).isLessThan(400);
  }

  @Test
  void textUsersAreOrderedByCodePoint() {
    // "Z" < "a" < "é" < "𝔘" in code points; "10" < "9" as text. Not all ids are integers, so text order applies.
    String[] names = {"a", "Z", "é", "10", "9", "𝔘", "b b", "ß"};
    RandomLog log = new RandomLog(2, 5_000, 300, 250, u -> names[u % names.length] + u / names.length, true);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(20).withMinUserInteractions(3);
    PreparedData core = config.splitter().split(log.interactions());

    assertSameSplit(splitOnSpark(log.frame(spark, 2), config, true), core);
  }

  @Test
  void integerTextUsersAreOrderedByValueThenText() {
    // All parse as integers (after strip), so numeric order, and "07" and " 7" tie on value and go by text.
    String[] spellings = {"%d", "0%d", " %d", "+%d"};
    RandomLog log = new RandomLog(3, 5_000, 300, 250,
        u -> String.format(spellings[u % spellings.length], u / spellings.length), true);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(20);
    PreparedData core = config.splitter().split(log.interactions());

    assertSameSplit(splitOnSpark(log.frame(spark, 4), config, true), core);
  }

  @Test
  void logsWithoutRatingsKeepEveryInteraction() {
    RandomLog log = new RandomLog(4, 4_000, 250, 200, u -> u, false);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(15).withSeed(7);
    PreparedData core = config.splitter().split(log.interactions());
    PreparedData distributed = splitOnSpark(log.frame(spark, 2), config, false);

    assertSameSplit(distributed, core);
    assertThat(distributed.stats().interactionsAfterFilter())
        .isEqualTo(log.rows.size() - core.stats().duplicatePairs() - droppedUsersInteractions(core));
  }

  /** Interactions of users with fewer than 5 distinct items, which the user filter removes. */
  private static long droppedUsersInteractions(PreparedData core) {
    return core.stats().linesRead() - core.stats().duplicatePairs() - core.stats().interactionsAfterFilter();
  }

  @Test
  void ratingsAreComparedInFloat() {
    // 3.7 as a float is above 3.7 as a double; core compares in float, so a 3.7 rating does not pass a 3.7 threshold.
    StructType schema = new StructType()
        .add("user", DataTypes.StringType).add("item", DataTypes.StringType).add("rating", DataTypes.DoubleType);
    List<Row> rows = new java.util.ArrayList<>();
    for (int u = 0; u < 12; u++) {
      for (int i = 0; i < 6; i++) {
        rows.add(RowFactory.create("u" + u, "i" + i, i == 0 ? 3.7 : 4.0));
      }
    }
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(2).withRatingThreshold(3.7);
    PreparedData data = splitOnSpark(spark.createDataFrame(rows, schema), config, true);

    assertThat(data.stats().interactionsAfterFilter()).isEqualTo(12 * 5);
    assertThat(data.items().contains("i0")).isFalse();
  }

  @Test
  void tooFewUsersForTheHeldOutUsersIsRefusedWithTheCounts() {
    RandomLog log = new RandomLog(5, 500, 40, 50, u -> u, true);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(1_000);

    assertThatThrownBy(() -> splitOnSpark(log.frame(spark, 1), config, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heldOutUsers = 1000 needs more than 2000 users")
        .hasMessageContaining("lower heldOutUsers");
  }

  @Test
  void rowsWithoutAUserOrARatingAreRefusedWithTheirCount() {
    StructType schema = new StructType()
        .add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType).add("rating", DataTypes.FloatType);
    List<Row> rows = List.of(
        RowFactory.create(1, 1, 4f), RowFactory.create(null, 2, 4f), RowFactory.create(null, 3, 4f),
        RowFactory.create(2, 3, Float.NaN));
    Dataset<Row> frame = spark.createDataFrame(rows, schema);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(1);

    assertThatThrownBy(() -> splitOnSpark(frame, config, true))
        .hasMessage("2 rows have no usable value: the user column user is null");
    assertThatThrownBy(() -> splitOnSpark(frame.where("user is not null"), config, true))
        .hasMessage("1 rows have no usable value: the rating column rating is null or NaN");
  }

  @Test
  void idsOfAnUnsupportedTypeAreRefusedNamingTheColumn() {
    StructType schema = new StructType()
        .add("user", DataTypes.DoubleType).add("item", DataTypes.IntegerType).add("rating", DataTypes.FloatType);
    Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(1.0, 1, 4f)), schema);

    assertThatThrownBy(() -> splitOnSpark(frame, StrongGeneralizationConfig.defaults(1), true))
        .hasMessage("column user holds ids of type double; ids must be int, bigint or string");
  }

  @Test
  void historiesHoldEveryKeptUserWithTheirKnownItems() {
    RandomLog log = new RandomLog(6, 3_000, 200, 150, u -> u, true);
    StrongGeneralizationConfig config = StrongGeneralizationConfig.defaults(10);
    SplitOnSpark split =
        new DistributedSplit(config, "user", "item", Optional.of("rating"), 3).split(log.frame(spark, 2));
    PreparedData data = split.data();
    List<Row> histories = split.histories().collectAsList();
    split.histories().unpersist();

    assertThat(split.userType()).isEqualTo(IdType.INT);
    assertThat(split.histories().rdd().getNumPartitions()).isEqualTo(3);
    assertThat(split.histories().schema().fieldNames()).containsExactly("user", SplitOnSpark.HISTORY);
    assertThat(histories).hasSize(data.stats().usersAfterFilter());
    // A training user's history is their training row; a held-out user's is fold-in plus held-out.
    for (Row row : histories) {
      String user = String.valueOf(row.getInt(0));
      int[] history = row.getList(1).stream().mapToInt(v -> (Integer) v).toArray();
      if (data.trainUsers().contains(user)) {
        assertThat(history).containsExactly(data.train().row(data.trainUsers().require(user)));
      } else if (data.test().users().contains(user)) {
        int r = data.test().users().require(user);
        int[] both = java.util.stream.IntStream.concat(
            java.util.Arrays.stream(data.test().foldIn().row(r)), java.util.Arrays.stream(data.test().heldOut().row(r)))
            .sorted().toArray();
        assertThat(history).containsExactly(both);
      }
    }
  }
}
