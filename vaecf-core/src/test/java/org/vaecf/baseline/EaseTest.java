package org.vaecf.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.StrongGeneralizationConfig;
import org.vaecf.data.synthetic.SyntheticData;

/** EASE against an independent NumPy float64 implementation, the float32 path, λ selection and bad settings. */
class EaseTest {
  /** Written by {@code make_ease_fixture.py} beside it: X (40 users × 12 items), λ = 5, B and x·B. */
  private static JsonNode fixture() throws IOException {
    try (InputStream in = EaseTest.class.getResourceAsStream("/baseline/ease_fixture.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static CsrMatrix matrix(JsonNode rows, int items, int from, int to) {
    CsrMatrix.Builder builder = new CsrMatrix.Builder(items);
    for (int r = from; r < to; r++) {
      JsonNode row = rows.get(r);
      int[] columns = new int[row.size()];
      for (int k = 0; k < columns.length; k++) {
        columns[k] = row.get(k).asInt();
      }
      builder.addRow(columns);
    }
    return builder.build();
  }

  private static EaseConfig config(Precision precision) {
    return EaseConfig.defaults().withPrecision(precision).withThreads(1);
  }

  @Test
  void weightsMatchNumPyInFloat64() throws IOException {
    JsonNode fixture = fixture();
    int items = fixture.get("items").asInt();
    CsrMatrix x = matrix(fixture.get("rows"), items, 0, fixture.get("rows").size());
    EaseModel model = new Ease(config(Precision.FLOAT64)).fit(x, fixture.get("lambda").asDouble());
    JsonNode expected = fixture.get("B");
    for (int i = 0; i < items; i++) {
      assertThat(model.weight(i, i)).as("diagonal %d", i).isZero();
      for (int j = 0; j < items; j++) {
        assertThat((double) model.weight(i, j)).as("B[%d][%d]", i, j)
            .isCloseTo(expected.get(i).get(j).asDouble(), within(1e-6));
      }
    }
  }

  @Test
  void float32AgreesWithFloat64() throws IOException {
    JsonNode fixture = fixture();
    int items = fixture.get("items").asInt();
    CsrMatrix x = matrix(fixture.get("rows"), items, 0, fixture.get("rows").size());
    EaseModel wide = new Ease(config(Precision.FLOAT64)).fit(x, 5.0);
    EaseModel narrow = new Ease(config(Precision.FLOAT32)).fit(x, 5.0);
    double largest = 0;
    for (int i = 0; i < items; i++) {
      for (int j = 0; j < items; j++) {
        largest = Math.max(largest, Math.abs(wide.weight(i, j) - narrow.weight(i, j)));
      }
    }
    assertThat(largest).isLessThan(1e-5).isGreaterThan(0.0); // different arithmetic, same answer
  }

  @Test
  void scoresAreTheFoldInTimesB() throws IOException {
    JsonNode fixture = fixture();
    int items = fixture.get("items").asInt();
    CsrMatrix x = matrix(fixture.get("rows"), items, 0, fixture.get("rows").size());
    EaseModel model = new Ease(config(Precision.FLOAT64)).fit(x, 5.0);
    FloatBuffer scores = model.scorer().score(matrix(fixture.get("rows"), items, 0, 3));
    JsonNode expected = fixture.get("scoresOfFirstThreeUsers");
    for (int u = 0; u < 3; u++) {
      for (int j = 0; j < items; j++) {
        assertThat((double) scores.get(scores.position() + u * items + j))
            .isCloseTo(expected.get(u).get(j).asDouble(), within(1e-5));
      }
    }
  }

  @Test
  void lambdaIsTheGridValueWithTheBestValidationMetric() {
    PreparedData data =
        StrongGeneralizationConfig.defaults(60)
            .splitter()
            .split(new SyntheticData(SyntheticData.Settings.demo().withSize(600, 200)).generate());
    EaseModel model = new Ease(config(Precision.FLOAT64).withLambdas(List.of(1e4, 1.0, 30.0, 300.0))).fit(data);
    assertThat(model.trials()).extracting(EaseModel.Trial::lambda).containsExactly(1e4, 1.0, 30.0, 300.0);
    EaseModel.Trial best =
        model.trials().stream().max(java.util.Comparator.comparingDouble(EaseModel.Trial::validation)).orElseThrow();
    assertThat(model.lambda()).isEqualTo(best.lambda());
    // λ matters: the grid's validation values differ
    assertThat(model.trials()).extracting(EaseModel.Trial::validation).doesNotHaveDuplicates();
  }

  @Test
  void badSettingsNameTheParameter() {
    assertThatThrownBy(() -> EaseConfig.defaults().withLambdas(List.of(100.0, -1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("every EASE lambda must be > 0 and finite, got -1.0");
    assertThatThrownBy(() -> EaseConfig.defaults().withLambdas(List.of()))
        .hasMessage("lambdas must hold at least one value");
    assertThatThrownBy(() -> EaseConfig.defaults().withThreads(0)).hasMessage("threads must be > 0, got 0");
    assertThatThrownBy(() -> new Ease(EaseConfig.defaults()).fit(CsrMatrix.empty(2, 3), 0.0))
        .hasMessage("lambda must be > 0 and finite, got 0.0");
    EaseModel model = new Ease(config(Precision.FLOAT64)).fit(CsrMatrix.empty(2, 3), 1.0);
    assertThatThrownBy(() -> model.scorer().score(CsrMatrix.empty(1, 4)))
        .hasMessage("fold-in rows have 4 columns but the EASE model knows 3 items");
  }

  @Test
  void autoPrecisionFallsToFloat32WhenFloat64WouldNotFit() {
    assertThat(Precision.AUTO.resolve(1_000, 4L << 30)).isEqualTo(Precision.FLOAT64);
    // 20,108 items (ML-20M): 3.2 GB in float64, more than a quarter of a 6 GB limit
    assertThat(Precision.AUTO.resolve(20_108, 6L << 30)).isEqualTo(Precision.FLOAT32);
    assertThat(Precision.FLOAT64.resolve(20_108, 1L << 20)).isEqualTo(Precision.FLOAT64);
  }

}
