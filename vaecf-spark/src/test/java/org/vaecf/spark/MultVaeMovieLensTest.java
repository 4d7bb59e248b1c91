package org.vaecf.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.eval.EvaluationResult;
import org.vaecf.eval.Evaluator;
import org.vaecf.eval.MetricParser;
import org.vaecf.infer.Recommendation;
import org.vaecf.infer.RecommendationRequest;
import org.vaecf.infer.Recommender;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.ModelType;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;

/**
 * The estimator on ml-latest-small ({@code ../shared/data}, skipped when absent) against the core path that
 * {@code vaecf prepare --heldout-users 60 --rng numpy-legacy}, {@code train --epochs 20 --threads 2} and
 * {@code evaluate} take: read the file, split, train, measure the test users.
 *
 * <p><b>Tolerance: none.</b> The split on Spark equals core's (every part, checked here and on random logs in
 * {@code DistributedSplitTest}); the trainer is deterministic for given data, seed and thread count (noise is keyed
 * by seed, step and row, not drawn from a shared stream); so the weights, and with them every metric, must be equal
 * bit for bit. A difference of any size means the two paths trained on different data.
 */
class MultVaeMovieLensTest {
  private static final String RATINGS = "data/ml-latest-small/ratings.csv";
  private static final int HELD_OUT = 60;
  private static final int EPOCHS = 20;
  private static final int THREADS = 2;
  private static final double ONE_ROW_TOLERANCE = 2e-5;

  private static SparkSession spark;
  private static PreparedData corePrepared;
  private static TrainedModel coreModel;
  private static EvaluationResult coreTest;
  private static MultVaeModel model;

  @BeforeAll
  static void fitBothWays() {
    Optional<Path> file = SparkTestSession.findShared(RATINGS);
    if (file.isEmpty()) {
      return;
    }
    Path ratings = file.get();
    corePrepared = StrongGeneralizationConfig.defaults(HELD_OUT).splitter()
        .split(new InteractionReader(ReaderOptions.of(InteractionFormat.MOVIELENS_CSV)).read(ratings));
    coreModel = new Trainer(ModelConfig.defaults(ModelType.MULT_VAE),
        TrainConfig.builder(ModelType.MULT_VAE).epochs(EPOCHS).threads(THREADS).build())
        .train(corePrepared);
    coreTest = evaluateLikeTheCli(coreModel, corePrepared);

    spark = SparkTestSession.get();
    Dataset<Row> frame = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(ratings.toString());
    model = new MultVae()
        .setUserCol("userId").setItemCol("movieId").setRatingCol("rating")
        .setHeldOutUsers(HELD_OUT).setEpochs(EPOCHS).setThreads(THREADS)
        .fit(frame);
  }

  /** Skips each test, with a message, when the data set is absent (as in a clone without ../shared). */
  @BeforeEach
  void requireTheDataSet() {
    assumeTrue(model != null, "skipped: ../shared/" + RATINGS + " (beside the project root) not found");
  }

  @AfterAll
  static void release() {
    if (model != null) {
      model.userHistories().unpersist();
    }
  }

  /** What {@code vaecf evaluate} does. */
  private static EvaluationResult evaluateLikeTheCli(TrainedModel trained, PreparedData data) {
    Blas.setThreads(THREADS);
    try (Parallel parallel = new Parallel(THREADS)) {
      ModelScorer scorer = new ModelScorer(trained.newNetwork(Evaluator.DEFAULT_BATCH_SIZE, parallel));
      return Evaluator.builder(MetricParser.parseList("ndcg@100,recall@20,recall@50"))
          .batchSize(scorer.capacity()).threads(THREADS).build()
          .evaluate(scorer::score, data.test().foldIn(), data.test().heldOut());
    }
  }

  @Test
  void theSplitOnSparkHasCoresCounts() {
    assertThat(model.summary().data()).isEqualTo(corePrepared.stats());
    // The notebook's counts on this file (core's README): 483 training users, 5,660 items, 38,246 interactions.
    assertThat(model.summary().data().trainUsers()).isEqualTo(483);
    assertThat(model.summary().data().items()).isEqualTo(5_660);
    assertThat(model.summary().data().trainInteractions()).isEqualTo(38_246);
    assertThat(model.trainedModel().items()).isEqualTo(corePrepared.items());
  }

  @Test
  void theModelAndItsTestMetricsEqualTheCorePathExactly() {
    List<NamedTensor> expected = coreModel.weights().tensors();
    List<NamedTensor> actual = model.trainedModel().weights().tensors();
    assertThat(actual).hasSameSizeAs(expected);
    for (int t = 0; t < expected.size(); t++) {
      assertThat(actual.get(t).toArray()).as(expected.get(t).name()).isEqualTo(expected.get(t).toArray());
    }
    assertThat(model.summary().bestEpoch()).isEqualTo(coreModel.training().bestEpoch());
    assertThat(model.summary().bestValidation()).isEqualTo(coreModel.training().bestValidation());
    assertThat(model.summary().test()).isEqualTo(coreTest.values());
    assertThat(model.summary().testUsers()).isEqualTo(coreTest.users());
    assertThat(model.summary().test().get("ndcg@100")).isBetween(0.05, 1.0);
  }

  /**
   * Against core's {@link Recommender}: equal, item for item and score for score, to its batch path; and to its
   * per-user path with the same items and scores within {@value #ONE_ROW_TOLERANCE} (relative). The tolerance is that
   * of float arithmetic, not Spark's: core's recommender multiplies by its packed copy of the output weight, summing
   * each logit in one order, Spark's block scorer by OpenBLAS on a transposed copy, which sums in blocks, and a user
   * scored alone goes through other encoder kernels than a batch; so probabilities differ in the last bits (measured:
   * up to 5.1e-6 relative) — core's own single and batch answers differ by as much, as the test also checks.
   */
  @Test
  void recommendForAllUsersHasAlsShapeAndEqualsCoresRecommender() {
    Dataset<Row> recommendations = model.recommendForAllUsers(20);
    StructType schema = recommendations.schema();
    assertThat(schema.fieldNames()).containsExactly("userId", "recommendations");
    assertThat(schema.apply("userId").dataType()).isEqualTo(DataTypes.IntegerType);
    StructType element = (StructType) ((ArrayType) schema.apply("recommendations").dataType()).elementType();
    assertThat(element.fieldNames()).containsExactly("movieId", "score");
    assertThat(element.apply("movieId").dataType()).isEqualTo(DataTypes.IntegerType);
    assertThat(element.apply("score").dataType()).isEqualTo(DataTypes.FloatType);

    Map<Integer, List<String>> histories = new HashMap<>();
    for (Row row : model.userHistories().collectAsList()) {
      List<String> ids = new ArrayList<>();
      for (Object column : row.getList(1)) {
        ids.add(model.trainedModel().items().rawId((Integer) column));
      }
      histories.put(row.getInt(0), ids);
    }
    List<Row> rows = recommendations.collectAsList();
    assertThat(rows).hasSize(histories.size()).hasSize(corePrepared.stats().usersAfterFilter());
    List<Integer> users = rows.stream().map(row -> row.getInt(0)).toList();
    List<RecommendationRequest> requests =
        users.stream().map(user -> RecommendationRequest.of(histories.get(user), 20)).toList();
    double coreSingleVersusBatch = 0;
    try (Recommender recommender = new Recommender(model.trainedModel())) {
      List<Recommendation> batch = recommender.recommendBatch(requests);
      for (int r = 0; r < rows.size(); r++) {
        List<Row> actual = rows.get(r).getList(1);
        Recommendation single = recommender.recommend(requests.get(r));
        assertThat(actual).hasSize(20);
        for (int j = 0; j < actual.size(); j++) {
          String item = String.valueOf(actual.get(j).getInt(0));
          float score = actual.get(j).getFloat(1);
          // The same ranking, position by position, to float rounding: core batches up to 64 users per product on
          // its packed weight, Spark a whole block on OpenBLAS, and they sum in different orders. Two items whose
          // probabilities agree to that precision may trade places, nothing more.
          assertThat(neighbourIds(batch.get(r), j)).contains(item);
          assertThat(neighbourIds(single, j)).contains(item);
          double batchScore = batch.get(r).items().get(j).score();
          assertThat(Math.abs(score - batchScore) / batchScore).isLessThan(ONE_ROW_TOLERANCE);
          double expected = single.items().get(j).score();
          assertThat(Math.abs(score - expected) / expected).isLessThan(ONE_ROW_TOLERANCE);
          coreSingleVersusBatch = Math.max(coreSingleVersusBatch,
              Math.abs(expected - batch.get(r).items().get(j).score()) / expected);
        }
      }
    }
    assertThat(coreSingleVersusBatch).isLessThan(ONE_ROW_TOLERANCE);
  }

  @Test
  void saveAndLoadGiveTheSameModel(@TempDir Path directory) throws IOException {
    String path = directory.resolve("model").toString();
    MultVaeModel configured = model.copy(new org.apache.spark.ml.param.ParamMap()).setK(7).setBlockSize(64);
    configured.write().save(path);
    assertThat(Files.exists(directory.resolve("model/bundle/weights.bin"))).isTrue();
    MultVaeModel loaded = MultVaeModel.load(path);

    assertThat(loaded.uid()).isEqualTo(model.uid());
    assertThat(loaded.getK()).isEqualTo(7);
    assertThat(loaded.getBlockSize()).isEqualTo(64);
    assertThat(loaded.getUserCol()).isEqualTo("userId");
    assertThat(loaded.getItemCol()).isEqualTo("movieId");
    assertThat(loaded.isSet(loaded.coldStartStrategy())).isFalse();
    assertThat(loaded.summary()).isEqualTo(model.summary());
    assertThat(loaded.itemIdType()).isEqualTo(model.itemIdType());
    assertThat(loaded.trainedModel().items()).isEqualTo(model.trainedModel().items());
    assertThat(loaded.trainedModel().training().history()).isEqualTo(model.trainedModel().training().history());
    // The same lists, scores to float rounding: the encoder's products run through OpenBLAS, whose sums depend on
    // how many users share a block, and Spark may group a partition's rows differently from one job to the next.
    List<Row> expected = configured.recommendForAllUsers(10).orderBy("userId").collectAsList();
    List<Row> actual = loaded.recommendForAllUsers(10).orderBy("userId").collectAsList();
    assertThat(actual).hasSameSizeAs(expected);
    for (int r = 0; r < expected.size(); r++) {
      assertThat(actual.get(r).getInt(0)).isEqualTo(expected.get(r).getInt(0));
      List<Row> want = expected.get(r).getList(1);
      List<Row> got = actual.get(r).getList(1);
      assertThat(got).hasSameSizeAs(want);
      for (int j = 0; j < want.size(); j++) {
        assertThat(neighbourIds(want, j)).as("user %d, rank %d", expected.get(r).getInt(0), j)
            .contains(got.get(j).getInt(0));
        float score = want.get(j).getFloat(1);
        assertThat((double) Math.abs(got.get(j).getFloat(1) - score) / score).isLessThan(ONE_ROW_TOLERANCE);
      }
    }

    assertThatThrownBy(() -> configured.write().save(path))
        .hasMessageContaining("already exists");
    configured.write().overwrite().save(path);
    assertThat(MultVaeModel.load(path).getK()).isEqualTo(7);
  }

  @Test
  void aFutureFormatVersionIsRefusedNamingIt(@TempDir Path directory) throws IOException {
    String path = directory.resolve("model").toString();
    model.write().save(path);
    Path metadata = directory.resolve("model/metadata/part-00000");
    String text = Files.readString(metadata);
    assertThat(text).contains("\"formatVersion\":1").doesNotContain("\n");
    Files.writeString(metadata, text.replace("\"formatVersion\":1", "\"formatVersion\":9"));
    Files.deleteIfExists(directory.resolve("model/metadata/.part-00000.crc"));

    assertThatThrownBy(() -> MultVaeModel.load(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 9")
        .hasMessageContaining("reads versions 1 to 1");
  }

  /** The ids at positions j−1, j and j+1 of a recommendation (a near-tie may swap neighbours). */
  private static List<String> neighbourIds(Recommendation recommendation, int j) {
    List<String> ids = new ArrayList<>();
    for (int p = Math.max(0, j - 1); p <= Math.min(recommendation.items().size() - 1, j + 1); p++) {
      ids.add(recommendation.items().get(p).id());
    }
    return ids;
  }

  /** The item ids at ranks {@code j − 1 .. j + 1} of a recommendation list (two near-ties may trade places). */
  private static List<Integer> neighbourIds(List<Row> list, int j) {
    List<Integer> ids = new ArrayList<>();
    for (int p = Math.max(0, j - 1); p <= Math.min(list.size() - 1, j + 1); p++) {
      ids.add(list.get(p).getInt(0));
    }
    return ids;
  }
}
