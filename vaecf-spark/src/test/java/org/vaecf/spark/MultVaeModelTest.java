package org.vaecf.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaecf.infer.Recommendation;
import org.vaecf.infer.Recommender;
import org.vaecf.spark.prepare.RandomLog;
import org.vaecf.spark.score.IdType;

/**
 * Recommending with a small model fitted on a random log (string users, int items): {@code transform} on item
 * lists, the cold-start strategies, user subsets, and block boundaries. Expected lists come from core's
 * {@link Recommender}. Where a user is scored in a block of another size than core's, scores may differ in the
 * last bits (OpenBLAS rounds products of different row counts differently), so scores are compared within
 * {@value #TOLERANCE} relative and items exactly.
 */
class MultVaeModelTest {
  private static final double TOLERANCE = 5e-6;
  private static final int K = 15;

  private static SparkSession spark;
  private static MultVaeModel model;
  private static Recommender recommender;
  private static List<String> knownUsers;

  @BeforeAll
  static void fit() {
    spark = SparkTestSession.get();
    Dataset<Row> log = new RandomLog(11, 8_000, 400, 150, u -> "u" + u, true).frame(spark, 2);
    model = new MultVae().setHeldOutUsers(20).setEpochs(5).setHidden(32).setLatent(8).setBatchSize(100)
        .setThreads(1).fit(log);
    recommender = new Recommender(model.trainedModel());
    knownUsers = model.userHistories().limit(3).collectAsList().stream().map(row -> row.getString(0)).toList();
  }

  @AfterAll
  static void release() {
    if (recommender != null) {
      recommender.close();
      model.userHistories().unpersist();
    }
  }

  private static void assertSameList(List<Row> actual, Recommendation expected) {
    assertThat(actual.stream().map(r -> String.valueOf(r.getInt(0))))
        .containsExactlyElementsOf(expected.items().stream().map(i -> i.id()).toList());
    for (int j = 0; j < actual.size(); j++) {
      double score = expected.items().get(j).score();
      assertThat(Math.abs(actual.get(j).getFloat(1) - score) / score).isLessThan(TOLERANCE);
    }
  }

  private static Dataset<Row> histories(List<Object[]> rows) {
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType)
        .add("items", DataTypes.createArrayType(DataTypes.IntegerType, true), true);
    return spark.createDataFrame(rows.stream().map(RowFactory::create).toList(), schema);
  }

  /** Three warm rows (one with a repeated item and an unknown one) and three cold rows: empty, null, unknown only. */
  private static List<Object[]> mixedRows() {
    List<Integer> items = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      items.add(Integer.parseInt(model.trainedModel().items().rawId(c)));
    }
    return List.of(
        new Object[] {1, List.of(items.get(0), items.get(1), items.get(0), 999_999)},
        new Object[] {2, List.of()},
        new Object[] {3, List.of(items.get(2))},
        new Object[] {4, null},
        new Object[] {5, List.of(999_998, 999_997)},
        new Object[] {6, List.of(items.get(3), items.get(1))});
  }

  private static List<String> known(Object items) {
    List<String> ids = new ArrayList<>();
    for (Object id : (List<?>) items) {
      if (model.trainedModel().items().contains(String.valueOf(id))) {
        ids.add(String.valueOf(id));
      }
    }
    return ids;
  }

  @Test
  void transformAddsTopKForEachHistoryAndKeepsColdRowsEmpty() {
    List<Object[]> rows = mixedRows();
    Dataset<Row> result = model.copy(new org.apache.spark.ml.param.ParamMap()).setK(K).transform(histories(rows));

    assertThat(result.schema().fieldNames()).containsExactly("id", "items", "recommendations");
    ArrayType list = (ArrayType) result.schema().apply("recommendations").dataType();
    assertThat(((StructType) list.elementType()).fieldNames()).containsExactly("item", "score");
    List<Row> out = result.orderBy("id").collectAsList();
    assertThat(out).hasSize(6);
    for (Row row : out) {
      Object[] input = rows.get(row.getInt(0) - 1);
      List<Row> recommendations = row.getList(2);
      if (input[1] == null || known(input[1]).isEmpty()) {
        assertThat(recommendations).as("cold row %s", row.getInt(0)).isEmpty();
        continue;
      }
      List<String> history = known(input[1]);
      assertSameList(recommendations, recommender.recommend(history, K));
      assertThat(recommendations).hasSize(K)
          .noneMatch(r -> history.contains(String.valueOf(r.getInt(0))));
    }
  }

  @Test
  void dropLeavesColdRowsOutAndGenericGivesThemTheEmptyHistorysList() {
    Dataset<Row> input = histories(mixedRows());

    List<Row> dropped = model.copy(new org.apache.spark.ml.param.ParamMap()).setK(K).setColdStartStrategy("drop")
        .transform(input).orderBy("id").collectAsList();
    assertThat(dropped.stream().map(r -> r.getInt(0))).containsExactly(1, 3, 6);

    List<Row> generic = model.copy(new org.apache.spark.ml.param.ParamMap()).setK(K)
        .setColdStartStrategy("generic").transform(input).orderBy("id").collectAsList();
    Recommendation fromNothing = recommender.recommend(List.of(), K);
    for (int id : new int[] {2, 4, 5}) {
      assertSameList(generic.get(id - 1).getList(2), fromNothing);
    }
    assertSameList(generic.get(2).getList(2), recommender.recommend(known(mixedRows().get(2)[1]), K));
  }

  @Test
  void userSubsetsGetTheirOwnRowsAndUnknownUsersAreColdStarts() {
    StructType schema = new StructType().add("user", DataTypes.StringType);
    List<Row> wanted = new ArrayList<>();
    for (String user : List.of(knownUsers.get(0), knownUsers.get(1), knownUsers.get(0), "nobody")) {
      wanted.add(RowFactory.create(user));
    }
    Dataset<Row> subset = spark.createDataFrame(wanted, schema);
    Map<String, List<Row>> all = new HashMap<>();
    for (Row row : model.recommendForAllUsers(K).collectAsList()) {
      all.put(row.getString(0), row.getList(1));
    }

    List<Row> rows = model.recommendForUserSubset(subset, K).collectAsList();
    assertThat(rows.stream().map(r -> r.getString(0)))
        .containsExactlyInAnyOrder(knownUsers.get(0), knownUsers.get(1), "nobody");
    for (Row row : rows) {
      if (row.getString(0).equals("nobody")) {
        assertThat(row.getList(1)).isEmpty();
      } else {
        List<Row> expected = all.get(row.getString(0));
        assertThat(row.getList(1).stream().map(r -> ((Row) r).getInt(0)))
            .containsExactlyElementsOf(expected.stream().map(r -> r.getInt(0)).toList());
      }
    }
    MultVaeModel dropping = model.copy(new org.apache.spark.ml.param.ParamMap()).setColdStartStrategy("drop");
    assertThat(dropping.recommendForUserSubset(subset, K).count()).isEqualTo(2);
  }

  @Test
  void blocksOfAnySizeGiveTheSameLists() {
    List<Row> reference = model.recommendForAllUsers(K).orderBy("user").collectAsList();
    for (int blockSize : new int[] {1, 7}) {
      List<Row> blocked = model.copy(new org.apache.spark.ml.param.ParamMap()).setBlockSize(blockSize)
          .recommendForAllUsers(K).orderBy("user").collectAsList();
      assertThat(blocked).hasSameSizeAs(reference);
      for (int r = 0; r < reference.size(); r++) {
        assertThat(blocked.get(r).getString(0)).isEqualTo(reference.get(r).getString(0));
        List<Row> expected = reference.get(r).getList(1);
        List<Row> actual = blocked.get(r).getList(1);
        assertThat(actual.stream().map(x -> x.getInt(0))).containsExactlyElementsOf(
            expected.stream().map(x -> x.getInt(0)).toList());
        for (int j = 0; j < actual.size(); j++) {
          double score = expected.get(j).getFloat(1);
          assertThat(Math.abs(actual.get(j).getFloat(1) - score) / score).isLessThan(TOLERANCE);
        }
      }
    }
  }

  @Test
  void aLargeKReturnsEveryItemOutsideTheHistoryInScoreOrder() {
    int items = model.trainedModel().items().size();
    Row row = model.recommendForAllUsers(10_000).limit(1).collectAsList().get(0);
    int[] history = model.userHistories().where(org.apache.spark.sql.functions.col("user").equalTo(row.getString(0)))
        .first().getList(1).stream().mapToInt(v -> (Integer) v).toArray();
    List<Row> list = row.getList(1);

    assertThat(list).hasSize(items - history.length);
    float previous = Float.POSITIVE_INFINITY;
    double total = 0;
    for (Row entry : list) {
      assertThat(entry.getFloat(1)).isLessThanOrEqualTo(previous);
      previous = entry.getFloat(1);
      total += entry.getFloat(1);
    }
    // Probabilities of every item but the history's: below 1, and the history takes some of the mass.
    assertThat(total).isLessThan(1.0).isGreaterThan(0.0);
    assertThat(model.userIdType()).isEqualTo(IdType.STRING);
    assertThat(model.itemIdType()).isEqualTo(IdType.INT);
  }

  @Test
  void aPipelineWithTheEstimatorFitsSavesAndLoads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
      throws java.io.IOException {
    Dataset<Row> log = new RandomLog(12, 3_000, 150, 80, u -> "u" + u, true).frame(spark, 2);
    MultVae estimator = new MultVae().setHeldOutUsers(10).setEpochs(2).setHidden(16).setLatent(4).setThreads(1)
        .setK(3).setNumUserBlocks(2);
    org.apache.spark.ml.PipelineModel fitted =
        new org.apache.spark.ml.Pipeline().setStages(new org.apache.spark.ml.PipelineStage[] {estimator}).fit(log);
    String path = directory.resolve("pipeline").toString();
    fitted.write().save(path);
    org.apache.spark.ml.PipelineModel loaded = org.apache.spark.ml.PipelineModel.load(path);

    MultVaeModel original = (MultVaeModel) fitted.stages()[0];
    assertThat(loaded.stages()[0]).isInstanceOf(MultVaeModel.class);
    MultVaeModel restored = (MultVaeModel) loaded.stages()[0];
    assertThat(restored.getK()).isEqualTo(3);
    assertThat(restored.summary()).isEqualTo(original.summary());
    assertThat(restored.recommendForAllUsers(3).orderBy("user").collectAsList())
        .hasSize(original.summary().data().usersAfterFilter())
        .isEqualTo(original.recommendForAllUsers(3).orderBy("user").collectAsList());
    original.userHistories().unpersist();
  }

  @Test
  void badColumnsAreNamed() {
    assertThatThrownBy(() -> model.recommendForAllUsers(0)).hasMessage("numItems must be >= 1, got 0");
    StructType doubles = new StructType().add("items", DataTypes.createArrayType(DataTypes.DoubleType));
    Dataset<Row> wrongType = spark.createDataFrame(List.of(RowFactory.create(List.of(1.0))), doubles);
    assertThatThrownBy(() -> model.transform(wrongType))
        .hasMessage("column items must be an array of item ids (int, bigint or string), got array<double>");
    assertThatThrownBy(() -> model.transform(histories(mixedRows()).toDF("id", "history")))
        .hasMessageStartingWith("no column items in the input");
    Dataset<Row> clash = histories(mixedRows()).withColumn("recommendations", org.apache.spark.sql.functions.lit(1));
    assertThatThrownBy(() -> model.transform(clash))
        .hasMessage("column recommendations already exists; set predictionCol");
  }
}
