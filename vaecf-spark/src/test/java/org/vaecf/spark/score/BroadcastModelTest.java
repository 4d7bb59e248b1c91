package org.vaecf.spark.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;
import org.vaecf.spark.SparkTestSession;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The broadcast form must survive both serializers Spark may be configured with (Java's, the default, and Kryo,
 * which ignores Java's serialization hooks) and rebuild the same model; its scorer pool must reuse networks, close
 * the ones it drops (their memory is native, out of the garbage collector's sight), never close one a task holds, and
 * close the rest when Spark removes the broadcast.
 */
class BroadcastModelTest {
  /** Two users of the 40-item model. */
  private static final CsrMatrix USERS =
      new CsrMatrix.Builder(40).addRow(new int[] {1, 5}).addRow(new int[] {7}).build();

  private static TrainedModel randomModel() {
    ModelConfig config = new ModelConfig(ModelType.MULT_VAE, List.of(12), 5, 0.5f);
    List<String> items = java.util.stream.IntStream.range(0, 40).mapToObj(i -> String.valueOf(1000 + i)).toList();
    try (Parallel parallel = new Parallel(1)) {
      Autoencoder network = Autoencoder.initialize(config, items.size(), 8, 42, parallel);
      TrainingRecord record = new TrainingRecord(42, 1, new LinkedHashMap<>(), new LinkedHashMap<>(), "ndcg@100", 1,
          0.5, List.of(), "now", "test");
      return new TrainedModel(config, IdIndex.of(items), network.snapshot(), record);
    }
  }

  private static void assertSameModel(TrainedModel actual, TrainedModel expected) {
    assertThat(actual.config()).isEqualTo(expected.config());
    assertThat(actual.items()).isEqualTo(expected.items());
    List<NamedTensor> want = expected.weights().tensors();
    List<NamedTensor> have = actual.weights().tensors();
    assertThat(have).hasSameSizeAs(want);
    for (int t = 0; t < want.size(); t++) {
      assertThat(have.get(t).name()).isEqualTo(want.get(t).name());
      assertThat(have.get(t).toArray()).isEqualTo(want.get(t).toArray());
    }
  }

  @Test
  void javaSerializationRebuildsTheModel() throws IOException, ClassNotFoundException {
    TrainedModel model = randomModel();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(BroadcastModel.of(model, IdType.LONG));
    }
    BroadcastModel copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (BroadcastModel) in.readObject();
    }

    assertSameModel(copy.model(), model);
    assertThat(copy.typedItem(3)).isEqualTo(1003L);
    assertThat(copy.itemType()).isEqualTo(IdType.LONG);
  }

  @Test
  void kryoRebuildsTheModel() {
    TrainedModel model = randomModel();
    SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
    ClassTag<BroadcastModel> type = ClassTag$.MODULE$.apply(BroadcastModel.class);
    BroadcastModel copy = kryo.deserialize(kryo.serialize(BroadcastModel.of(model, IdType.INT), type), type);

    assertSameModel(copy.model(), model);
    assertThat(copy.typedItem(39)).isEqualTo(1039);
    // The copy scores like the original.
    CsrMatrix users = new CsrMatrix.Builder(40).addRow(new int[] {1, 5}).addRow(new int[0]).build();
    BlockScorer.Ranked[] fromCopy = copy.borrow(4).recommend(users, 6);
    BlockScorer.Ranked[] fromOriginal = BroadcastModel.of(model, IdType.INT).borrow(4).recommend(users, 6);
    for (int r = 0; r < 2; r++) {
      assertThat(fromCopy[r].items()).isEqualTo(fromOriginal[r].items());
      assertThat(fromCopy[r].scores()).isEqualTo(fromOriginal[r].scores());
    }
    assertThat(fromCopy[0].items()).hasSize(6).doesNotContain(1, 5);
  }

  @Test
  void thePoolReusesScorersMadeForTheSameBlockSizeOnly() {
    BroadcastModel broadcast = BroadcastModel.of(randomModel(), IdType.STRING);
    BlockScorer first = broadcast.borrow(16);
    BlockScorer second = broadcast.borrow(16);
    assertThat(second).as("a borrowed scorer is not lent twice").isNotSameAs(first);
    broadcast.release(first);
    broadcast.release(second);

    BlockScorer again = broadcast.borrow(16);
    assertThat(again == first || again == second).isTrue();
    broadcast.release(again);
    // a scorer made for other blocks would multiply another way (packed up to 64 users, OpenBLAS above)
    BlockScorer smaller = broadcast.borrow(8);
    assertThat(smaller).isNotSameAs(first).isNotSameAs(second);
    assertThat(smaller.capacity()).isEqualTo(8);
    BlockScorer bigger = broadcast.borrow(256);
    assertThat(bigger.capacity()).isEqualTo(256);
  }

  @Test
  void aScorerDroppedForAnotherBlockSizeIsClosed() {
    BroadcastModel broadcast = BroadcastModel.of(randomModel(), IdType.STRING);
    BlockScorer first = broadcast.borrow(16);
    broadcast.release(first);
    assertThat(first.isClosed()).as("an idle scorer waits for the next task").isFalse();

    BlockScorer second = broadcast.borrow(8);
    // One task at a time ran, so the pool keeps one network: the idle one for 16 users makes room, and is freed.
    assertThat(first.isClosed()).isTrue();
    assertThat(second.isClosed()).isFalse();
    assertThat(second.recommend(USERS, 6)[0].items()).hasSize(6).doesNotContain(1, 5);
    assertThatThrownBy(() -> first.recommend(USERS, 6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the scorer is closed");
  }

  @Test
  void scorersOfTwoBlockSizesLentAtOnceAreBothKept() {
    BroadcastModel broadcast = BroadcastModel.of(randomModel(), IdType.STRING);
    BlockScorer small = broadcast.borrow(8);
    BlockScorer large = broadcast.borrow(128);
    broadcast.release(small);
    broadcast.release(large);

    // two tasks ran at once, so two networks may stay, each kept for its own block size
    assertThat(broadcast.borrow(128)).isSameAs(large);
    assertThat(broadcast.borrow(8)).isSameAs(small);
    assertThat(small.isClosed()).isFalse();
    assertThat(large.isClosed()).isFalse();
  }

  @Test
  void aLentScorerIsNotClosedToMakeRoom() {
    BroadcastModel broadcast = BroadcastModel.of(randomModel(), IdType.STRING);
    BlockScorer held = broadcast.borrow(16);
    BlockScorer returned = broadcast.borrow(8);
    broadcast.release(returned);

    // the pool is at its bound of two; room for a third block size comes from the idle scorer, not the held one
    BlockScorer third = broadcast.borrow(32);
    assertThat(returned.isClosed()).isTrue();
    assertThat(held.isClosed()).isFalse();
    assertThat(third.isClosed()).isFalse();
    assertThat(held.recommend(USERS, 3)[1].items()).hasSize(3).doesNotContain(7);
  }

  @Test
  void closingTheModelClosesIdleScorersAtOnceAndLentOnesOnTheirReturn() {
    BroadcastModel broadcast = BroadcastModel.of(randomModel(), IdType.STRING);
    BlockScorer idle = broadcast.borrow(8);
    BlockScorer lent = broadcast.borrow(8);
    broadcast.release(idle);

    broadcast.close();
    assertThat(idle.isClosed()).isTrue();
    assertThat(lent.isClosed()).as("its task still holds it").isFalse();
    assertThat(lent.recommend(USERS, 4)[0].items()).hasSize(4);
    broadcast.release(lent);
    assertThat(lent.isClosed()).isTrue();

    // A task that reaches a closed model still scores (Spark closes values it evicts to disk, which tasks may still
    // hold), with a network of its own that is freed on its return.
    BlockScorer late = broadcast.borrow(8);
    assertThat(late).isNotSameAs(idle).isNotSameAs(lent);
    assertThat(late.recommend(USERS, 4)[0].items()).hasSize(4);
    broadcast.release(late);
    assertThat(late.isClosed()).isTrue();
  }

  @Test
  void aScorerReturnedTwiceIsRefused() {
    BroadcastModel broadcast = BroadcastModel.of(randomModel(), IdType.STRING);
    BlockScorer scorer = broadcast.borrow(8);
    broadcast.release(scorer);

    assertThatThrownBy(() -> broadcast.release(scorer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the scorer was not borrowed from this model, or was already returned");
    // pooled once only, so it is not lent to two tasks at once
    assertThat(broadcast.borrow(8)).isSameAs(scorer);
    assertThat(broadcast.borrow(8)).isNotSameAs(scorer);
  }

  @Test
  void tasksAlternatingBlockSizesNeverHaveTheirScorerClosed() throws Exception {
    TrainedModel model = randomModel();
    // Two threads and three sizes, so the pool (two networks at most) keeps closing one to build another; the
    // largest is scored with OpenBLAS, the others with packed panels, so a scorer lent for the wrong size would also
    // change the scores.
    int[] sizes = {8, 24, 96};
    Random random = new Random(7);
    CsrMatrix.Builder builder = new CsrMatrix.Builder(40);
    for (int u = 0; u < 8; u++) {
      builder.addRow(random.ints(0, 40).distinct().limit(1 + random.nextInt(6)).sorted().toArray());
    }
    CsrMatrix users = builder.build();
    Map<Integer, BlockScorer.Ranked[]> expected = new HashMap<>();
    for (int size : sizes) {
      try (BlockScorer alone = BroadcastModel.of(model, IdType.INT).borrow(size)) {
        expected.put(size, alone.recommend(users, 10));
      }
    }

    BroadcastModel broadcast = BroadcastModel.of(model, IdType.INT);
    Set<BlockScorer> seen = ConcurrentHashMap.newKeySet();
    int rounds = 300;
    // each round both threads borrow at once, each a different size, and the next round moves both to the next size
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < 2; thread++) {
        int offset = thread;
        done.add(threads.submit(() -> {
          try {
            for (int round = 0; round < rounds; round++) {
              int size = sizes[(round + offset) % sizes.length];
              together.await(30, TimeUnit.SECONDS);
              BlockScorer scorer = broadcast.borrow(size);
              seen.add(scorer);
              BlockScorer.Ranked[] ranked = scorer.recommend(users, 10);
              assertThat(scorer.isClosed()).isFalse();
              for (int u = 0; u < ranked.length; u++) {
                assertThat(ranked[u].items()).isEqualTo(expected.get(size)[u].items());
                assertThat(ranked[u].scores()).isEqualTo(expected.get(size)[u].scores());
              }
              broadcast.release(scorer);
            }
          } catch (Throwable failure) {
            // let the other thread stop now rather than wait out the barrier
            together.reset();
            throw failure;
          }
          return null;
        }));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Future<?> thread : done) {
        try {
          thread.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      // report the thread that failed, not the one it stopped through the barrier
      failures.sort(Comparator.comparing(failure -> failure instanceof BrokenBarrierException));
      if (!failures.isEmpty()) {
        throw new AssertionError(failures.get(0));
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(seen).as("networks were closed and rebuilt while the other thread held one").hasSizeGreaterThan(3);
    broadcast.close();
    assertThat(seen).as("every network made is freed once the model is closed").allMatch(BlockScorer::isClosed);
  }

  @Test
  void destroyingTheBroadcastClosesThePooledScorers() throws InterruptedException {
    BroadcastModel model = BroadcastModel.of(randomModel(), IdType.INT);
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    Broadcast<BroadcastModel> broadcast = spark.broadcast(model);
    // what a task does (PartitionRecommender); in local mode the driver's value is the one tasks read
    BlockScorer pooled = broadcast.value().borrow(4);
    broadcast.value().release(pooled);
    assertThat(pooled.isClosed()).isFalse();

    broadcast.destroy();
    // the block managers remove the value asynchronously
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!pooled.isClosed() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pooled.isClosed()).as("closed by Spark's block manager when it removed the value").isTrue();
  }
}
