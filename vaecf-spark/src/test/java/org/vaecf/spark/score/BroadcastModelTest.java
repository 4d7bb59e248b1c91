package org.vaecf.spark.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.SparkConf;
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
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The broadcast form must survive both serializers Spark may be configured with (Java's, the default, and Kryo,
 * which ignores Java's serialization hooks) and rebuild the same model; its scorer pool must reuse networks.
 */
class BroadcastModelTest {
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
}
