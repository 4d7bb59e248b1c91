package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.infer.Recommendation;
import org.vaecf.infer.RecommendationRequest;
import org.vaecf.infer.Recommender;
import org.vaecf.infer.ScoredItem;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;
import org.vaecf.server.ServingFixtures.Client;
import org.vaecf.server.ServingFixtures.Client.Answer;

/** Every endpoint against the library's own answers, and every refusal with its status and message. */
class ServerTest {
  @TempDir static Path dir;
  private static TrainedModel model;
  private static RecommendationServer server;
  private static Client client;
  private static Recommender reference;

  @BeforeAll
  static void start() {
    Path bundle = ServingFixtures.bundle(dir.resolve("model"), 11);
    model = ModelBundle.read(bundle);
    server = ServingFixtures.start(bundle);
    client = new Client(server);
    reference = new Recommender(model);
  }

  @AfterAll
  static void stop() {
    server.stop();
    reference.close();
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  /**
   * The recommender's answer: the same items, the same probabilities — to 1e-6 relative, since a user scored in a
   * batch goes through another BLAS kernel than a user scored alone (see {@link Recommender}).
   */
  private static void assertSameAs(JsonNode items, Recommendation expected) {
    assertThat(ids(items)).containsExactlyElementsOf(expected.items().stream().map(ScoredItem::id).toList());
    for (int i = 0; i < expected.items().size(); i++) {
      double score = expected.items().get(i).score();
      assertThat(items.get(i).get("score").asDouble()).isCloseTo(score, within(1e-6 * score));
    }
  }

  // ---------------------------------------------------------------- the endpoints

  @Test
  void recommendationsAreTheRecommendersAnswer() {
    Answer answer =
        client.post("/v1/recommendations", "{\"items\": [\"1\", \"50\", \"260\", \"nope\"], \"k\": 5, \"exclude\": [\"7\"]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/json");
    JsonNode json = answer.json();
    Recommendation expected =
        reference.recommend(RecommendationRequest.of(List.of("1", "50", "260", "nope"), 5).excluding(List.of("7")));
    assertSameAs(json.get("items"), expected);
    assertThat(json.get("items")).hasSize(5);
    assertThat(json.get("unknownItems").toString()).isEqualTo("[\"nope\"]");
    assertThat(json.get("model").asText()).isEqualTo(server.modelId()).hasSize(16);
  }

  @Test
  void candidatesAndHistoryFlagArePassedThrough() {
    Answer answer =
        client.post(
            "/v1/recommendations",
            "{\"items\": [\"3\", \"4\"], \"k\": 3, \"candidates\": [\"3\", \"9\", \"10\", \"11\", \"12\"],"
                + " \"excludeHistory\": false}");
    Recommendation expected =
        reference.recommend(
            RecommendationRequest.of(List.of("3", "4"), 3)
                .restrictedTo(List.of("3", "9", "10", "11", "12"))
                .withExcludeHistory(false));
    assertThat(answer.status()).isEqualTo(200);
    assertSameAs(answer.json().get("items"), expected);
  }

  @Test
  void defaultKIsTen() {
    assertThat(client.post("/v1/recommendations", "{\"items\": [\"5\"]}").json().get("items")).hasSize(10);
  }

  @Test
  void batchAnswersEachUserInOrderAndFlagsUsersWithNoKnownItem() {
    Answer answer =
        client.post(
            "/v1/recommendations/batch",
            "{\"requests\": [{\"items\": [\"1\", \"2\"], \"k\": 3}, {\"items\": [\"x\", \"y\"]},"
                + " {\"items\": [\"300\"], \"k\": 4, \"exclude\": [\"301\"]}]}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode results = answer.json().get("results");
    assertThat(results).hasSize(3);
    assertSameAs(results.get(0).get("items"), reference.recommend(List.of("1", "2"), 3));
    assertThat(results.get(1).has("items")).isFalse();
    assertThat(results.get(1).get("error").asText())
        .isEqualTo("none of the 2 given items is known to the model: x, y");
    assertThat(results.get(1).get("unknownItems").toString()).isEqualTo("[\"x\",\"y\"]");
    assertSameAs(
        results.get(2).get("items"),
        reference.recommend(RecommendationRequest.of(List.of("300"), 4).excluding(List.of("301"))));
    assertThat(answer.json().get("model").asText()).isEqualTo(server.modelId());
  }

  /** Cosine similarity of decoder columns computed here in double precision, independently of the server. */
  @Test
  void similarItemsAreNearestByCosineOfTheDecoderColumns() {
    NamedTensor weight = model.weights().get("decoder.1.weight"); // hidden 32 × 400 items
    int hidden = weight.rows();
    int items = weight.cols();
    int query = model.items().require("50");
    double[] cosine = new double[items];
    for (int j = 0; j < items; j++) {
      double dot = 0;
      double nq = 0;
      double nj = 0;
      for (int h = 0; h < hidden; h++) {
        double a = weight.get(h * items + query);
        double b = weight.get(h * items + j);
        dot += a * b;
        nq += a * a;
        nj += b * b;
      }
      cosine[j] = dot / Math.sqrt(nq * nj);
    }
    List<Integer> expected =
        IntStream.range(0, items)
            .filter(j -> j != query)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer j) -> -cosine[j]))
            .limit(7)
            .toList();

    Answer answer = client.get("/v1/items/50/similar?k=7");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode json = answer.json();
    assertThat(json.get("item").asText()).isEqualTo("50");
    assertThat(ids(json.get("items")))
        .containsExactlyElementsOf(expected.stream().map(j -> model.items().rawId(j)).toList());
    for (int i = 0; i < 7; i++) {
      assertThat(json.get("items").get(i).get("score").asDouble()).isCloseTo(cosine[expected.get(i)], within(1e-5));
    }
    assertThat(client.get("/v1/items/50/similar").json().get("items")).hasSize(10);
  }

  @Test
  void modelDescribesTheBundle() {
    JsonNode json = client.get("/v1/model").json();
    assertThat(json.get("id").asText()).isEqualTo(server.modelId());
    assertThat(json.get("items").asInt()).isEqualTo(ServingFixtures.ITEMS);
    assertThat(json.get("config").get("type").asText()).isEqualTo("mult-vae");
    assertThat(json.get("config").get("hiddenDims").toString()).isEqualTo("[32]");
    assertThat(json.get("config").get("latentDim").asInt()).isEqualTo(16);
    assertThat(json.get("training").get("validationMetric").asText()).isEqualTo("ndcg@100");
    assertThat(json.get("training").get("bestValidation").asDouble()).isEqualTo(0.25);
    assertThat(json.get("training").get("data").get("trainUsers").asInt()).isEqualTo(10);
    assertThat(json.get("training").get("epochs").asInt()).isEqualTo(1);
  }

  @Test
  void healthSaysOkWithTheModel() {
    Answer answer = client.get("/health");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("status").asText()).isEqualTo("ok");
    assertThat(answer.json().get("model").asText()).isEqualTo(server.modelId());
  }

  @Test
  void metricsCountRequestsLatencyAndBatchesInPrometheusFormat() {
    for (int i = 0; i < 3; i++) {
      client.post("/v1/recommendations", "{\"items\": [\"9\"], \"k\": 2}");
    }
    client.post("/v1/recommendations", "{\"items\": 9}");

    Answer answer = client.get("/metrics");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain");
    String text = answer.body();
    assertThat(text).contains("# TYPE vaecf_http_requests_total counter");
    long ok = counter(text, "vaecf_http_requests_total{method=\"POST\",route=\"/v1/recommendations\",status=\"200\"}");
    long bad = counter(text, "vaecf_http_requests_total{method=\"POST\",route=\"/v1/recommendations\",status=\"400\"}");
    assertThat(ok).isGreaterThanOrEqualTo(3);
    assertThat(bad).isGreaterThanOrEqualTo(1);
    long latencyCount = counter(text, "vaecf_http_request_duration_seconds_count{route=\"/v1/recommendations\"}");
    assertThat(latencyCount).isGreaterThanOrEqualTo(ok + bad);
    assertThat(counter(text, "vaecf_http_request_duration_seconds_bucket{route=\"/v1/recommendations\",le=\"+Inf\"}"))
        .isEqualTo(latencyCount);
    assertThat(counter(text, "vaecf_batch_size_count")).isGreaterThanOrEqualTo(3);
    assertThat(text).contains("vaecf_model_info{id=\"" + server.modelId() + "\",items=\"400\"} 1");
  }

  private static long counter(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no series " + series + " in\n" + text);
  }

  // ---------------------------------------------------------------- refusals

  private static void assertRefused(Answer answer, int status, String message) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/json");
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
    assertThat(answer.json().get("error").asText()).isEqualTo(message);
  }

  @Test
  void malformedJsonIs400WithWhereItBroke() {
    Answer answer = client.post("/v1/recommendations", "{bad json");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("error").asText()).startsWith("the body is not valid JSON: ").contains("line 1, column 2");
    assertRefused(client.post("/v1/recommendations", ""), 400, "the request body is empty; expected a JSON object");
    assertRefused(client.post("/v1/recommendations", "[1, 2]"), 400, "the body must be a JSON object, got an array");
    assertThat(client.post("/v1/recommendations", "{\"items\": []} {}").status()).isEqualTo(400);
  }

  @Test
  void wrongTypesAndUnknownFieldsAre400NamingTheField() {
    assertRefused(client.post("/v1/recommendations", "{\"item\": [\"1\"]}"), 400,
        "unknown field 'item'; expected items, k, exclude, candidates, excludeHistory");
    assertRefused(client.post("/v1/recommendations", "{\"k\": 3}"), 400,
        "items is required (the user's item ids, an array of strings)");
    assertRefused(client.post("/v1/recommendations", "{\"items\": \"1,2\"}"), 400,
        "items must be an array of strings (item ids), got a string");
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\", 2]}"), 400,
        "items[1] must be a string (item ids are strings, e.g. \"50\"), got a number");
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\"], \"k\": \"5\"}"), 400,
        "k must be an integer, got a string");
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\"], \"k\": 2.5}"), 400,
        "k must be an integer, got a number");
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\"], \"exclude\": {}}"), 400,
        "exclude must be an array of strings (item ids), got an object");
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\"], \"excludeHistory\": \"no\"}"), 400,
        "excludeHistory must be true or false, got a string");
    assertRefused(client.post("/v1/recommendations/batch", "{\"requests\": [{\"items\": [\"1\"]}, {\"items\": [3]}]}"),
        400, "requests[1].items[0] must be a string (item ids are strings, e.g. \"50\"), got a number");
    assertRefused(client.post("/v1/recommendations/batch", "{\"users\": []}"), 400,
        "unknown field 'users'; expected requests");
  }

  @Test
  void valuesBeyondTheLimitsAre4xxNamingTheLimit() {
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\"], \"k\": 0}"), 400,
        "k must be in [1, 1000], got 0");
    assertRefused(client.post("/v1/recommendations", "{\"items\": [\"1\"], \"k\": 1001}"), 400,
        "k must be in [1, 1000], got 1001");
    assertRefused(client.get("/v1/items/50/similar?k=0"), 400, "k must be in [1, 1000], got 0");
    assertRefused(client.get("/v1/items/50/similar?k=ten"), 400, "k must be an integer, got 'ten'");
    Answer brokenPath = client.rawGet("/v1/items/%ZZ/similar"); // refused by the HTTP layer, before any route
    assertThat(brokenPath.status()).as(brokenPath.body()).isEqualTo(400);
    assertThat(brokenPath.contentType()).startsWith("application/json");
    assertThat(brokenPath.json().get("status").asInt()).isEqualTo(400);
    assertThat(brokenPath.json().get("error").asText()).startsWith("the request line is malformed");
    Answer brokenEscape = client.rawGet("/v1/items/50/similar?k=%ZZ"); // URI would refuse to build it
    assertThat(brokenEscape.status()).as(brokenEscape.body()).isEqualTo(400);
    assertThat(brokenEscape.json().get("error").asText())
        .startsWith("query parameter k is not valid URL encoding ('%ZZ')");
    assertRefused(client.get("/v1/items/50/similar?K=5"), 400, "unknown query parameter 'K'; expected k");
    assertRefused(client.get("/v1/items/50/similar?k=3&k=4"), 400, "query parameter k is given more than once");

    StringBuilder many = new StringBuilder("{\"items\": [");
    for (int i = 0; i < 10_001; i++) {
      many.append(i == 0 ? "" : ",").append("\"1\"");
    }
    assertRefused(client.post("/v1/recommendations", many + "]}"), 400,
        "items holds 10001 ids; at most 10000 are allowed");

    StringBuilder users = new StringBuilder("{\"requests\": [");
    for (int i = 0; i < 1001; i++) {
      users.append(i == 0 ? "" : ",").append("{\"items\": [\"1\"]}");
    }
    assertRefused(client.post("/v1/recommendations/batch", users + "]}"), 400,
        "requests holds 1001 users; at most 1000 are allowed per call");

    String huge = "{\"items\": [\"" + "1".repeat(1 << 20) + "\"]}";
    assertRefused(client.post("/v1/recommendations", huge), 413,
        "the body has " + huge.length() + " bytes; at most 1048576 are allowed");
  }

  @Test
  void aBodyOfUndeclaredLengthIsReadInPiecesAndRefusedPastTheLimit() {
    // no Content-Length: the client sends the body chunked, in pieces of at most 100 bytes
    String request = "{\"items\": [\"1\", \"2\"], \"k\": 3, \"exclude\": [" + "\"9\",".repeat(200) + "\"9\"]}";
    Answer answer = client.send(chunkedPost("/v1/recommendations", request.getBytes(StandardCharsets.UTF_8), 100));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("items")).hasSize(3);

    byte[] huge = new byte[(1 << 20) + 1];
    Arrays.fill(huge, (byte) ' ');
    assertRefused(client.send(chunkedPost("/v1/recommendations", huge, 8192)), 413,
        "the body exceeds 1048576 bytes, the most allowed");
  }

  /** A POST whose body has no declared length (sent chunked), handed to the client {@code piece} bytes at a time. */
  private static HttpRequest.Builder chunkedPost(String path, byte[] body, int piece) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
          private int next;

          @Override
          public int read() {
            return next < body.length ? body[next++] & 0xff : -1;
          }

          @Override
          public int read(byte[] into, int offset, int length) {
            if (next == body.length) {
              return -1;
            }
            int n = Math.min(Math.min(length, piece), body.length - next);
            System.arraycopy(body, next, into, offset, n);
            next += n;
            return n;
          }
        }));
  }

  /**
   * A reload path the file system cannot name (a NUL character: valid JSON, invalid path) is the client's mistake: 400
   * naming the field, not a 500, and the served model stays.
   */
  @Test
  void aReloadPathTheFileSystemCannotNameIs400NamingPath() {
    String before = server.modelId();
    assertRefused(client.post("/v1/admin/reload", "{\"path\": \"x\\u0000\"}"), 400,
        "path is not a valid path on this server (Nul character not allowed); expected a model bundle directory");
    assertThat(server.modelId()).isEqualTo(before);
  }

  @Test
  void aHistoryOfUnknownIdsIs422ListingThem() {
    Answer answer = client.post("/v1/recommendations", "{\"items\": [\"zz1\", \"zz2\"]}");
    assertRefused(answer, 422, "none of the 2 given items is known to the model: zz1, zz2");
    assertThat(answer.json().get("unknownItems").toString()).isEqualTo("[\"zz1\",\"zz2\"]");
  }

  @Test
  void unknownItemsRoutesAndMethodsAreJson4xx() {
    assertRefused(client.get("/v1/items/nope/similar"), 404, "item 'nope' is not known to the model");
    assertRefused(client.get("/v1/nothing"), 404, "no route GET /v1/nothing; see /openapi.json");
    assertRefused(client.get("/v1/recommendations"), 405, "GET is not allowed on /v1/recommendations");
  }

  @Test
  void bindsToLoopbackByDefault() {
    ServerConfig config = ServerConfig.builder(dir).build();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
  }
}
