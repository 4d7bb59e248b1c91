package org.vaecf.spark.score;

import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.vaecf.data.IdIndex;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.ModelWeights;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;

/**
 * A trained model in a form Spark can broadcast: plain fields only (ids as strings, each tensor as a float array),
 * so it travels under Java serialization and Kryo alike. On each executor the {@link TrainedModel} is rebuilt once,
 * on first use, and the prediction networks made from it are kept in a pool: a network costs a copy of the weights
 * plus its buffers, so tasks that run one after another on an executor reuse the same few networks instead of
 * building one each.
 *
 * <p>The pool keeps networks by block size and never holds more than the number of tasks that ran at the same time
 * on the executor; a network that has to leave it to keep that bound is closed. The pool is closed, and with it the
 * networks' native memory given back, when Spark removes the broadcast value (see {@link #close()}).
 */
public final class BroadcastModel implements Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final int[] hidden;
  private final int latent;
  private final float dropout;
  private final String[] itemIds;
  private final String[] tensorNames;
  private final int[] tensorRows;
  private final int[] tensorCols;
  private final float[][] tensorValues;
  private final IdType itemType;

  private transient volatile TrainedModel model;
  private transient volatile ScorerPool pool;
  private transient volatile Object[] typedItems;

  private BroadcastModel(TrainedModel source, IdType itemType) {
    this.itemType = itemType;
    ModelConfig config = source.config();
    this.type = config.type().cliName();
    this.hidden = config.hiddenDims().stream().mapToInt(Integer::intValue).toArray();
    this.latent = config.latentDim();
    this.dropout = config.dropout();
    this.itemIds = source.items().ids().toArray(new String[0]);
    List<NamedTensor> tensors = source.weights().tensors();
    int count = tensors.size();
    this.tensorNames = new String[count];
    this.tensorRows = new int[count];
    this.tensorCols = new int[count];
    this.tensorValues = new float[count][];
    for (int t = 0; t < count; t++) {
      NamedTensor tensor = tensors.get(t);
      tensorNames[t] = tensor.name();
      tensorRows[t] = tensor.rows();
      tensorCols[t] = tensor.cols();
      tensorValues[t] = tensor.toArray();
    }
    this.model = source;
  }

  /**
   * The broadcastable form of {@code model} (the weights are copied once, into heap arrays), whose items are handed
   * back as values of {@code itemType}.
   */
  public static BroadcastModel of(TrainedModel model, IdType itemType) {
    return new BroadcastModel(model, itemType);
  }

  /** The model, rebuilt from the plain fields the first time it is needed on this JVM. */
  public TrainedModel model() {
    TrainedModel result = model;
    if (result == null) {
      synchronized (this) {
        result = model;
        if (result == null) {
          result = rebuild();
          model = result;
        }
      }
    }
    return result;
  }

  /** Number of items the model scores. */
  public int items() {
    return itemIds.length;
  }

  /** The type in which items are handed back. */
  public IdType itemType() {
    return itemType;
  }

  /** Item column {@code i}'s id as a value of {@link #itemType()}, converted once per JVM. */
  public Object typedItem(int column) {
    Object[] values = typedItems;
    if (values == null) {
      values = new Object[itemIds.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = itemType.fromRawId(itemIds[i]);
      }
      // A race only converts twice; both results are equal.
      typedItems = values;
    }
    return values[column];
  }

  /**
   * A scorer for blocks of up to {@code blockSize} users, from the pool when an idle one was made for that block
   * size. Give it back with {@link #release} when the task is done with it, and do not use it afterwards. Only that
   * size is reused: a scorer's capacity decides how it multiplies (a packed weight up to 64 users, OpenBLAS above; see
   * {@link org.vaecf.model.ModelScorer#snapshot}), and the two sum in different orders, so the scores stay a function
   * of the block size rather than of which scorer an earlier job left in the pool.
   */
  public BlockScorer borrow(int blockSize) {
    return pool().borrow(blockSize);
  }

  /**
   * Returns a scorer obtained from {@link #borrow} to the pool (or closes it, once the model is closed).
   *
   * @throws IllegalArgumentException if the scorer was not borrowed from this model or was already returned
   */
  public void release(BlockScorer scorer) {
    pool().release(scorer);
  }

  /**
   * Gives back the native memory of the pooled networks now, and of each network still lent when its task returns
   * it. Spark calls this: its block manager closes an {@link AutoCloseable} value when it removes it from memory, and
   * it removes a broadcast's value from the executors when the broadcast is unpersisted, and from the driver too when
   * it is destroyed or cleaned up (Spark's {@code ContextCleaner} does that once the {@code MultVaeModel} holding the
   * broadcast, and its copies, are garbage collected). The module leaves the broadcast's end to that cleanup, since
   * copies of a model share it, so this hook is the one point where every executor learns that the model is retired.
   *
   * <p>The model stays usable: Spark also removes a value it evicts to disk under memory pressure, and a task may still
   * reach that copy afterwards. Such a task gets a network built for it and closed when it is returned.
   */
  @Override
  public void close() {
    // pool() rather than the field: a pool made after this call would never be closed.
    pool().close();
  }

  private ScorerPool pool() {
    ScorerPool result = pool;
    if (result == null) {
      synchronized (this) {
        result = pool;
        if (result == null) {
          result = new ScorerPool(blockSize -> new BlockScorer(model(), blockSize));
          pool = result;
        }
      }
    }
    return result;
  }

  private TrainedModel rebuild() {
    ModelConfig config = new ModelConfig(
        ModelType.fromCliName(type), Arrays.stream(hidden).boxed().toList(), latent, dropout);
    List<NamedTensor> tensors = new ArrayList<>(tensorNames.length);
    for (int t = 0; t < tensorNames.length; t++) {
      tensors.add(new NamedTensor(tensorNames[t], tensorRows[t], tensorCols[t], FloatBuffer.wrap(tensorValues[t])));
    }
    // Executors only score: the training record stays with the model on the driver.
    TrainingRecord record = new TrainingRecord(
        0L, 1, new LinkedHashMap<>(), new LinkedHashMap<>(), "none", 0, Double.NaN, List.of(), "unknown", "unknown");
    return new TrainedModel(config, IdIndex.of(Arrays.asList(itemIds)), new ModelWeights(tensors), record);
  }
}
