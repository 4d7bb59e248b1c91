package org.vaecf.cli;

import java.util.ArrayList;
import java.util.List;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.data.Interactions;
import org.vaecf.data.split.HeldOutSet;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.synthetic.SyntheticData;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;

/**
 * Data and a model of MovieLens-20M's shape for the benchmarks: the catalogue of the paper's ML-20M split (20,108
 * items), synthetic users with a heavy-tailed activity (at least 5 clicks, 70 on average, as ML-20M's users after
 * the rating filter), and the paper's Mult-VAE [I → 600 → 200 → 600 → I] trained briefly on them. What is measured
 * (products over 20,108 items) depends on the shapes, not on how well the model is trained.
 */
final class BenchData {
  /** Items of ML-20M after the paper's preparation. */
  static final int ML20M_ITEMS = 20_108;

  /** Latent tastes of the synthetic users (the generator's clusters of items). */
  static final int TASTES = 200;

  /**
   * The fewest items a benchmark's catalogue may have: the generator wants at least as many items as tastes. A
   * smaller catalogue is refused rather than given fewer tastes: one that small would time fixed costs (parsing a
   * request, setting up a batch), not the product over the catalogue these benchmarks are about; and fixed tastes
   * keep the data of every accepted size what earlier figures were measured on.
   */
  static final int MIN_ITEMS = TASTES;

  private BenchData() {}

  /** Refuses an {@code --items} below {@link #MIN_ITEMS}, naming the option (for the commands' usage errors). */
  static void checkItems(int items) {
    if (items < MIN_ITEMS) {
      throw new IllegalArgumentException(
          "--items must be >= " + MIN_ITEMS + " (the synthetic data has " + TASTES + " tastes, and at least as "
              + "many items), got " + items);
    }
  }

  /**
   * {@code users} synthetic users over {@code items} items (ids {@code i0 ..}), all users in the training part;
   * {@code items} is at least {@link #MIN_ITEMS}.
   */
  static PreparedData prepared(int users, int items, long seed) {
    SyntheticData.Settings settings =
        new SyntheticData.Settings(users, items, TASTES, 3, 5, 70.0, 0.8, 0.15, seed);
    Interactions log = new SyntheticData(settings).generate();
    List<String> ids = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      ids.add("i" + i); // every item of the catalogue has a column, clicked or not
    }
    IdIndex itemIndex = IdIndex.of(ids);
    List<List<Integer>> rows = new ArrayList<>();
    for (int u = 0; u < log.users().size(); u++) {
      rows.add(new ArrayList<>());
    }
    for (int k = 0; k < log.size(); k++) {
      rows.get(log.user(k)).add(itemIndex.require(log.items().rawId(log.item(k))));
    }
    CsrMatrix.Builder train = new CsrMatrix.Builder(items);
    for (List<Integer> row : rows) {
      train.addRow(row.stream().mapToInt(Integer::intValue).toArray());
    }
    CsrMatrix matrix = train.build();
    PreparationStats stats =
        new PreparationStats(
            matrix.rows(), items, matrix.nnz(), 0, 0, 0, 0, 0, 0, log.size(), 0, 0, log.size(), matrix.rows());
    return new PreparedData(
        itemIndex, log.users(), matrix, HeldOutSet.empty(items), HeldOutSet.empty(items), stats);
  }

  /** The paper's Mult-VAE trained for one epoch on {@code data}. */
  static TrainedModel briefModel(PreparedData data, int threads) {
    TrainConfig config = TrainConfig.builder(ModelType.MULT_VAE).epochs(1).threads(threads).build();
    return new Trainer(ModelConfig.defaults(ModelType.MULT_VAE), config).train(data);
  }
}
