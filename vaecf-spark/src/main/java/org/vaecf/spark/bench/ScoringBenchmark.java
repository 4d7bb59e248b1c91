package org.vaecf.spark.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.Interactions;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.infer.RecommendationRequest;
import org.vaecf.infer.Recommender;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.TopK;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;
import org.vaecf.spark.MultVae;
import org.vaecf.spark.MultVaeModel;

/**
 * How fast {@link MultVaeModel#recommendForAllUsers} is, against core's batch recommender on one thread.
 *
 * <ul>
 *   <li>{@code train MODEL_DIR}: a Gowalla-sized synthetic log (30,000 users, 40,981 items, 34 clicks per user on
 *       average, as the LightGCN Gowalla set has), one epoch of Mult-VAE, saved to MODEL_DIR;
 *   <li>{@code score MODEL_DIR [K] [REPEATS]}: loads it, times {@code recommendForAllUsers(K)} (default 100) into
 *       Spark's {@code noop} sink REPEATS times (default 3; the first includes the broadcast and the networks'
 *       creation), then core's {@code Recommender.recommendBatch} on one thread over the same histories; prints one
 *       line of results;
 *   <li>{@code breakdown MODEL_DIR [K]}: on one thread, where a user's time goes — the forward pass of a block of
 *       256 users, the softmax normaliser, the top-K selection — per user.
 * </ul>
 *
 * Run {@code score} under {@code --master 'local[1]'} and {@code 'local[2]'} to see how scoring scales with cores.
 */
public final class ScoringBenchmark {
  private static final int BLOCK = 256;

  private ScoringBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || !List.of("train", "score", "breakdown").contains(args[0])) {
      System.err.println(
          "usage: ScoringBenchmark train MODEL_DIR | score MODEL_DIR [K] [REPEATS] | breakdown MODEL_DIR [K]");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("vaecf scoring benchmark").getOrCreate();
    if (args[0].equals("train")) {
      train(spark, args[1]);
    } else if (args[0].equals("breakdown")) {
      breakdown(MultVaeModel.load(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 100);
    } else {
      score(spark, args[1], args.length > 2 ? Integer.parseInt(args[2]) : 100,
          args.length > 3 ? Integer.parseInt(args[3]) : 3);
    }
    spark.stop();
  }

  private static void train(SparkSession spark, String modelDir) throws IOException {
    SyntheticData.Settings settings =
        new SyntheticData.Settings(30_000, 40_981, 100, 3, 5, 34.4, 0.8, 0.15, 20180423L);
    Interactions log = new SyntheticData(settings).generate();
    List<Row> rows = new ArrayList<>(log.size());
    for (int k = 0; k < log.size(); k++) {
      rows.add(RowFactory.create(log.users().rawId(log.user(k)), log.items().rawId(log.item(k))));
    }
    StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType);
    Dataset<Row> frame = spark.createDataFrame(rows, schema);
    long started = System.nanoTime();
    MultVaeModel model = new MultVae().setRatingCol("").setHeldOutUsers(500).setEpochs(1).fit(frame);
    System.out.printf(Locale.ROOT, "trained on %d interactions in %.1f s: %s%n", log.size(),
        (System.nanoTime() - started) / 1e9, model.summary());
    model.write().overwrite().save(modelDir);
  }

  private static void score(SparkSession spark, String modelDir, int k, int repeats) {
    MultVaeModel model = MultVaeModel.load(modelDir);
    Dataset<Row> histories = model.userHistories().cache();
    long users = histories.count();
    int partitions = histories.rdd().getNumPartitions();
    int items = model.trainedModel().items().size();
    long cachedBytes = 0;
    for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      cachedBytes += info.memSize() + info.diskSize();
    }
    double[] sparkSeconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long started = System.nanoTime();
      model.recommendForAllUsers(k).write().format("noop").mode("overwrite").save();
      sparkSeconds[r] = (System.nanoTime() - started) / 1e9;
    }
    // Direct memory held now: mostly the pooled prediction networks of the tasks that ran at once.
    long offHeapBytes = directMemoryUsed();

    IdIndex index = model.trainedModel().items();
    List<RecommendationRequest> requests = new ArrayList<>((int) users);
    for (Row row : histories.collectAsList()) {
      List<String> ids = new ArrayList<>();
      for (Object column : row.getList(1)) {
        ids.add(index.rawId((Integer) column));
      }
      requests.add(RecommendationRequest.of(ids, k));
    }
    double coreSeconds;
    try (Recommender recommender =
        new Recommender(model.trainedModel(), org.vaecf.infer.RecommenderSettings.defaults().withThreads(1).withMaxBatch(BLOCK))) {
      recommender.recommendBatch(requests.subList(0, Math.min(1_000, requests.size())));
      long started = System.nanoTime();
      recommender.recommendBatch(requests);
      coreSeconds = (System.nanoTime() - started) / 1e9;
    }
    double best = Double.POSITIVE_INFINITY;
    StringBuilder runs = new StringBuilder();
    for (double seconds : sparkSeconds) {
      best = Math.min(best, seconds);
      runs.append(String.format(Locale.ROOT, "%s%.2f", runs.length() == 0 ? "" : ", ", seconds));
    }
    System.out.printf(Locale.ROOT,
        "master=%s cores=%d users=%d items=%d k=%d partitions=%d | recommendForAllUsers: runs [%s] s, best %.2f s "
            + "= %.0f users/s | core Recommender.recommendBatch, 1 thread: %.2f s = %.0f users/s | ratio %.2f "
            + "| cached histories %.1f MB, direct memory after scoring %.0f MB%n",
        spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), users, items, k, partitions, runs,
        best, users / best, coreSeconds, users / coreSeconds, coreSeconds / best, cachedBytes / 1e6,
        offHeapBytes / 1e6);
  }

  /** Times the three parts of scoring a block of 256 real histories, repeated, on one thread. */
  private static void breakdown(MultVaeModel model, int k) {
    TrainedModel trained = model.trainedModel();
    int items = trained.items().size();
    CsrMatrix.Builder rows = new CsrMatrix.Builder(items);
    for (Row row : model.userHistories().limit(BLOCK).collectAsList()) {
      rows.addRow(row.getList(1).stream().mapToInt(v -> (Integer) v).toArray());
    }
    CsrMatrix block = rows.build();
    Blas.setThreads(1);
    ModelScorer scorer = new ModelScorer(trained.newNetwork(BLOCK, new Parallel(1)));
    TopK topK = new TopK(k);
    int[] chosen = new int[k];
    double forward = 0;
    double normaliser = 0;
    double selection = 0;
    double sink = 0;
    int repeats = 12;
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      FloatBuffer logits = scorer.score(block);
      long t1 = System.nanoTime();
      for (int u = 0; u < block.rows(); u++) {
        int offset = u * items;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < items; i++) {
          max = Math.max(max, logits.get(offset + i));
        }
        double sum = 0;
        for (int i = 0; i < items; i++) {
          sum += Math.exp(logits.get(offset + i) - max);
        }
        sink += Math.log(sum);
      }
      long t2 = System.nanoTime();
      for (int u = 0; u < block.rows(); u++) {
        topK.select(logits, u * items, items, block.colIndexes(), block.rowStart(u), block.rowEnd(u), chosen);
      }
      long t3 = System.nanoTime();
      // The first two repeats warm the JIT up.
      if (r >= 2) {
        forward += t1 - t0;
        normaliser += t2 - t1;
        selection += t3 - t2;
      }
    }
    double perUser = 1e6 * (repeats - 2) * block.rows();
    System.out.printf(Locale.ROOT,
        "items=%d block=%d k=%d | per user, one thread: forward %.3f ms, softmax normaliser %.3f ms, top-%d %.3f ms"
            + " (checksum %.1f)%n",
        items, block.rows(), k, forward / perUser, normaliser / perUser, k, selection / perUser, sink);
  }

  /** The JVM's direct buffers plus the matrices allocated on huge pages outside them. */
  private static long directMemoryUsed() {
    long used = Matrix.hugePageBytes();
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        used += pool.getMemoryUsed();
      }
    }
    return used;
  }
}
