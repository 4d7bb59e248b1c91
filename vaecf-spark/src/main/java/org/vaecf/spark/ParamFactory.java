package org.vaecf.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.vaecf.data.split.NumpyLegacyRandom;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.model.ModelConfig;
import org.vaecf.train.TrainConfig;

/**
 * Makes every param of {@link MultVae} and {@link MultVaeModel} — name, doc, {@link Rule} — and sets their
 * defaults, so that the estimator and the model, which must each own their param objects, define them in one place. Defaults
 * come from the core's constants, which are the paper's.
 */
final class ParamFactory {
  static final String DEFAULT_USER_COL = "user";
  static final String DEFAULT_ITEM_COL = "item";
  static final String DEFAULT_RATING_COL = "rating";
  static final String DEFAULT_ITEMS_COL = "items";
  static final String DEFAULT_PREDICTION_COL = "recommendations";
  static final int DEFAULT_K = 10;
  static final int DEFAULT_BLOCK_SIZE = 256;
  /** ALS's default number of user blocks. */
  static final int DEFAULT_USER_BLOCKS = 10;

  private ParamFactory() {}

  // ---- model params -------------------------------------------------------------------------------------------

  static Param<String> userCol(Params owner) {
    return new Param<>(owner, "userCol", "column of user ids: integer, long or string (default: user)",
        Rule.columnName());
  }

  static Param<String> itemCol(Params owner) {
    return new Param<>(owner, "itemCol",
        "column of item ids: integer, long or string; also the name of the item field of each recommendation "
            + "(default: item)",
        Rule.columnName());
  }

  static Param<String> itemsCol(Params owner) {
    return new Param<>(owner, "itemsCol",
        "column of item-id arrays that transform() folds in, one history per row (default: items)",
        Rule.columnName());
  }

  static Param<String> predictionCol(Params owner) {
    return new Param<>(owner, "predictionCol",
        "column that transform() adds: array<struct<item, score>>, best first, history excluded "
            + "(default: recommendations)",
        Rule.columnName());
  }

  static IntParam k(Params owner) {
    return new IntParam(owner, "k", "items recommended per row by transform(), >= 1 (default: 10)",
        Rule.atLeast(1));
  }

  static Param<String> coldStartStrategy(Params owner) {
    return new Param<>(owner, "coldStartStrategy",
        "what a user with no known item gets: 'empty' keeps the row with an empty list, 'drop' leaves it out, "
            + "'generic' recommends from the empty history (default: empty)",
        Rule.oneOf(ColdStartStrategy.paramValues()));
  }

  static IntParam blockSize(Params owner) {
    return new IntParam(owner, "blockSize",
        "users scored per matrix product on the executors, >= 1; costs blockSize x items x 4 bytes per running "
            + "task (default: 256)",
        Rule.atLeast(1));
  }

  static void setModelDefaults(MultVaeModelParams owner) {
    owner.setDefault(owner.userCol(), DEFAULT_USER_COL);
    owner.setDefault(owner.itemCol(), DEFAULT_ITEM_COL);
    owner.setDefault(owner.itemsCol(), DEFAULT_ITEMS_COL);
    owner.setDefault(owner.predictionCol(), DEFAULT_PREDICTION_COL);
    owner.setDefault(owner.k(), DEFAULT_K);
    owner.setDefault(owner.coldStartStrategy(), ColdStartStrategy.EMPTY.paramValue());
    owner.setDefault(owner.blockSize(), DEFAULT_BLOCK_SIZE);
  }

  // ---- estimator params ---------------------------------------------------------------------------------------

  static Param<String> ratingCol(Params owner) {
    return new Param<>(owner, "ratingCol",
        "column of ratings, cast to float; \"\" for logs without ratings, where every interaction counts "
            + "(default: rating)",
        Rule.optionalColumnName());
  }

  static DoubleParam ratingThreshold(Params owner) {
    return new DoubleParam(owner, "ratingThreshold",
        "ratings strictly above this are positive interactions, compared in float (default: 3.5)", Rule.finite());
  }

  static IntParam minUserInteractions(Params owner) {
    return new IntParam(owner, "minUserInteractions",
        "users with fewer positive interactions are dropped, >= 1 (default: 5)", Rule.atLeast(1));
  }

  static IntParam heldOutUsers(Params owner) {
    return new IntParam(owner, "heldOutUsers",
        "users held out for validation, and as many for test, >= 1; twice it must be below the number of users "
            + "left after filtering (no default; the paper used 10000 on ML-20M)",
        Rule.atLeast(1));
  }

  static LongParam seed(Params owner) {
    return new LongParam(owner, "seed",
        "seed of the user split (NumPy's legacy generator, as the paper's notebook) and of initialisation, "
            + "shuffling and noise, 0..2^32-1 (default: 98765)",
        Rule.between(0, NumpyLegacyRandom.MAX_SEED));
  }

  static IntArrayParam hidden(Params owner) {
    return new IntArrayParam(owner, "hidden",
        "hidden layer widths between items and latent code, outermost first, each >= 1 (default: [600])",
        Rule.widths());
  }

  static IntParam latent(Params owner) {
    return new IntParam(owner, "latent", "latent code width, >= 1 (default: 200)", Rule.atLeast(1));
  }

  static DoubleParam dropout(Params owner) {
    return new DoubleParam(owner, "dropout",
        "probability of dropping an input entry while training, in [0, 1) (default: 0.5)", Rule.halfOpen(0, 1));
  }

  static IntParam epochs(Params owner) {
    return new IntParam(owner, "epochs", "passes over the training users, >= 1 (default: 200)", Rule.atLeast(1));
  }

  static IntParam batchSize(Params owner) {
    return new IntParam(owner, "batchSize", "users per training step, >= 1 (default: 500)", Rule.atLeast(1));
  }

  static DoubleParam learningRate(Params owner) {
    return new DoubleParam(owner, "learningRate", "Adam's learning rate, > 0 (default: 0.001)", Rule.above(0));
  }

  static DoubleParam annealCap(Params owner) {
    return new DoubleParam(owner, "annealCap", "largest KL weight beta, >= 0 (default: 0.2)", Rule.notBelow(0));
  }

  static LongParam totalAnnealSteps(Params owner) {
    return new LongParam(owner, "totalAnnealSteps",
        "steps over which beta would reach 1, >= 1; unset: the cap is reached after 80% of the planned steps "
            + "(default: unset; the paper used 200000 on ML-20M)",
        Rule.atLeast(1));
  }

  static IntParam threads(Params owner) {
    return new IntParam(owner, "threads",
        "threads of the trainer on the driver, >= 1; the same seed and threads give the same model "
            + "(default: unset, all of the driver's cores)",
        Rule.atLeast(1));
  }

  static IntParam numUserBlocks(Params owner) {
    return new IntParam(owner, "numUserBlocks",
        "partitions of the model's user histories, and so tasks of recommendForAllUsers, >= 1 (default: 10)",
        Rule.atLeast(1));
  }

  static void setEstimatorDefaults(MultVaeParams owner) {
    setModelDefaults(owner);
    owner.setDefault(owner.ratingCol(), DEFAULT_RATING_COL);
    owner.setDefault(owner.ratingThreshold(), StrongGeneralizationConfig.DEFAULT_RATING_THRESHOLD);
    owner.setDefault(owner.minUserInteractions(), StrongGeneralizationConfig.DEFAULT_MIN_USER_INTERACTIONS);
    owner.setDefault(owner.seed(), StrongGeneralizationConfig.DEFAULT_SEED);
    owner.setDefault(owner.hidden(),
        ModelConfig.PAPER_VAE_HIDDEN.stream().mapToInt(Integer::intValue).toArray());
    owner.setDefault(owner.latent(), ModelConfig.PAPER_LATENT);
    owner.setDefault(owner.dropout(), (double) ModelConfig.PAPER_DROPOUT);
    owner.setDefault(owner.epochs(), TrainConfig.PAPER_EPOCHS);
    owner.setDefault(owner.batchSize(), TrainConfig.PAPER_BATCH_SIZE);
    // The paper's rate (AdamSettings.PAPER holds it as a float); a double literal keeps the default readable.
    owner.setDefault(owner.learningRate(), 1e-3);
    owner.setDefault(owner.annealCap(), TrainConfig.PAPER_ANNEAL_CAP);
    owner.setDefault(owner.numUserBlocks(), DEFAULT_USER_BLOCKS);
  }

  /**
   * Checks {@code value} against {@code param}'s rule, failing with a message that names the param, the rule and the
   * value; Spark's own check, which runs next, only says that the value is invalid.
   */
  @SuppressWarnings("unchecked")
  static <T> T checked(Param<T> param, T value) {
    if (param.isValid() instanceof Rule<?> rule) {
      ((Rule<T>) rule).check(param.name(), value);
    }
    return value;
  }
}
