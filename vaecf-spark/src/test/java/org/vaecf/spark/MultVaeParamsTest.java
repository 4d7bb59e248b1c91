package org.vaecf.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimator's params: the paper's defaults, messages that name the param, and Spark's copy semantics. */
class MultVaeParamsTest {

  @Test
  void defaultsAreThePapersAndAlsNames() {
    MultVae estimator = new MultVae();

    assertThat(estimator.getUserCol()).isEqualTo("user");
    assertThat(estimator.getItemCol()).isEqualTo("item");
    assertThat(estimator.getRatingCol()).isEqualTo("rating");
    assertThat(estimator.getRatingThreshold()).isEqualTo(3.5);
    assertThat(estimator.getMinUserInteractions()).isEqualTo(5);
    assertThat(estimator.getSeed()).isEqualTo(98765L);
    assertThat(estimator.getHidden()).containsExactly(600);
    assertThat(estimator.getLatent()).isEqualTo(200);
    assertThat(estimator.getDropout()).isEqualTo(0.5);
    assertThat(estimator.getEpochs()).isEqualTo(200);
    assertThat(estimator.getBatchSize()).isEqualTo(500);
    assertThat(estimator.getLearningRate()).isEqualTo(0.001);
    assertThat(estimator.getAnnealCap()).isEqualTo(0.2);
    assertThat(estimator.getItemsCol()).isEqualTo("items");
    assertThat(estimator.getPredictionCol()).isEqualTo("recommendations");
    assertThat(estimator.getK()).isEqualTo(10);
    assertThat(estimator.getColdStartStrategy()).isEqualTo("empty");
    assertThat(estimator.getBlockSize()).isEqualTo(256);
    assertThat(estimator.getNumUserBlocks()).isEqualTo(10);
    // No default: the data decides them (heldOutUsers) or "unset" has a meaning (auto annealing, all cores).
    assertThat(estimator.isDefined(estimator.heldOutUsers())).isFalse();
    assertThat(estimator.isDefined(estimator.totalAnnealSteps())).isFalse();
    assertThat(estimator.isDefined(estimator.threads())).isFalse();
  }

  @Test
  void sparkFindsEveryParamAndExplainsIt() {
    MultVae estimator = new MultVae();

    assertThat(Arrays.stream(estimator.params()).map(Param::name)).containsExactlyInAnyOrder(
        "userCol", "itemCol", "ratingCol", "itemsCol", "predictionCol", "k", "coldStartStrategy", "blockSize",
        "ratingThreshold", "minUserInteractions", "heldOutUsers", "seed", "hidden", "latent", "dropout", "epochs",
        "batchSize", "learningRate", "annealCap", "totalAnnealSteps", "threads", "numUserBlocks");
    assertThat(estimator.explainParam(estimator.dropout()))
        .isEqualTo("dropout: probability of dropping an input entry while training, in [0, 1) (default: 0.5) "
            + "(default: 0.5)");
  }

  @Test
  void settersNameTheParamTheRuleAndTheValue() {
    MultVae estimator = new MultVae();

    assertThatThrownBy(() -> estimator.setEpochs(0)).hasMessage("epochs must be >= 1, got 0");
    assertThatThrownBy(() -> estimator.setDropout(1.0)).hasMessage("dropout must be in [0.0, 1.0), got 1.0");
    assertThatThrownBy(() -> estimator.setSeed(-1)).hasMessage("seed must be between 0 and 4294967295, got -1");
    assertThatThrownBy(() -> estimator.setHidden(600, 0))
        .hasMessage("hidden must be a list of widths >= 1, got [600, 0]");
    assertThatThrownBy(() -> estimator.setLearningRate(0)).hasMessage("learningRate must be > 0.0 and finite, got 0.0");
    assertThatThrownBy(() -> estimator.setRatingThreshold(Double.NaN))
        .hasMessage("ratingThreshold must be finite, got NaN");
    assertThatThrownBy(() -> estimator.setColdStartStrategy("nan"))
        .hasMessage("coldStartStrategy must be one of [empty, drop, generic], got \"nan\"");
    assertThatThrownBy(() -> estimator.setUserCol(" "))
        .hasMessage("userCol must be a non-empty column name, got \" \"");
    assertThatThrownBy(() -> estimator.setHeldOutUsers(0)).hasMessage("heldOutUsers must be >= 1, got 0");
    assertThat(estimator.getEpochs()).as("a refused value leaves the param as it was").isEqualTo(200);
    // Edge values that are allowed.
    assertThat(estimator.setDropout(0).setHidden().setRatingCol("").setAnnealCap(0).getHidden()).isEmpty();
  }

  @Test
  void valuesThatBypassTheSettersAreStillCheckedBySpark() {
    MultVae estimator = new MultVae();

    assertThatThrownBy(() -> estimator.set(estimator.epochs(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epochs given invalid value 0");
    // A ParamMap checks as values are put in, before any copy or fit sees them.
    assertThatThrownBy(() -> new ParamMap().put(estimator.latent().w(-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latent given invalid value -3");
  }

  @Test
  void copiesAreIndependentAndKeepTheUid() {
    MultVae original = new MultVae().setEpochs(30).setHidden(100, 50);
    MultVae copy = original.copy(new ParamMap().put(original.latent().w(16)));

    assertThat(copy).isNotSameAs(original);
    assertThat(copy.uid()).isEqualTo(original.uid());
    assertThat(copy.getEpochs()).isEqualTo(30);
    assertThat(copy.getHidden()).containsExactly(100, 50);
    assertThat(copy.getLatent()).isEqualTo(16);
    assertThat(original.getLatent()).as("extra params go to the copy only").isEqualTo(200);
    copy.setEpochs(5);
    assertThat(original.getEpochs()).isEqualTo(30);
    // The array param cannot be changed from outside.
    int[] widths = {7};
    original.setHidden(widths);
    widths[0] = 9;
    original.getHidden()[0] = 11;
    assertThat(original.getHidden()).containsExactly(7);
  }

  @Test
  void fittingWithoutHeldOutUsersSaysWhatIsMissing() {
    MultVae estimator = new MultVae();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> log =
        new org.vaecf.spark.prepare.RandomLog(1, 100, 20, 10, u -> u, true).frame(SparkTestSession.get(), 1);

    assertThatThrownBy(() -> estimator.fit(log))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("heldOutUsers must be set");
    assertThatThrownBy(() -> estimator.setUserCol("who").fit(log))
        .hasMessageStartingWith("no column who in the input; its columns are [user, item, rating]");
    assertThatThrownBy(() -> new MultVae().setHeldOutUsers(1).fit(log.drop("rating")))
        .hasMessage("no column rating in the input; its columns are [user, item] "
            + "(setRatingCol(\"\") for a log without ratings)");
  }

  @Test
  void theEstimatorSavesAndLoadsItsParams(@TempDir Path directory) throws Exception {
    MultVae original = new MultVae().setHeldOutUsers(60).setHidden(300).setTotalAnnealSteps(20_000)
        .setColdStartStrategy("generic");
    SparkTestSession.get();
    original.write().save(directory.resolve("estimator").toString());
    MultVae loaded = MultVae.load(directory.resolve("estimator").toString());

    assertThat(loaded.uid()).isEqualTo(original.uid());
    assertThat(loaded.getHeldOutUsers()).isEqualTo(60);
    assertThat(loaded.getHidden()).containsExactly(300);
    assertThat(loaded.getOrDefault(loaded.totalAnnealSteps())).isEqualTo(20_000L);
    assertThat(loaded.getColdStartStrategy()).isEqualTo("generic");
    assertThat(loaded.isDefined(loaded.threads())).isFalse();
  }
}
