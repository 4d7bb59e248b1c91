package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.infer.Recommender;
import org.vaecf.infer.RecommenderSettings;
import org.vaecf.infer.ScoredItem;
import org.vaecf.io.BundleException;
import org.vaecf.io.ModelBundle;
import org.vaecf.server.ServingFixtures.Client;
import org.vaecf.server.ServingFixtures.Client.Answer;

/** Hot swap under load, a refused bundle, in-flight requests finishing on the old model, and draining on stop. */
class HotSwapTest {
  @TempDir Path dir;

  private Path corruptCopy(Path bundle) throws Exception {
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    try (Stream<Path> files = Files.list(bundle)) {
      for (Path file : files.toList()) {
        Files.copy(file, bad.resolve(file.getFileName()));
      }
    }
    byte[] weights = Files.readAllBytes(bad.resolve("weights.bin"));
    weights[100] ^= 0x55;
    Files.write(bad.resolve("weights.bin"), weights);
    return bad;
  }

  /**
   * Six clients keep asking while the model is swapped A → B → (bad bundle, refused) → A → A again. No request may
   * fail, and every answer must be exactly the answer of the model whose id it carries.
   */
  @Test
  void swapsUnderLoadFailNoRequestAndEveryAnswerComesFromTheModelItNames() throws Exception {
    Path a = ServingFixtures.bundle(dir.resolve("a"), 21);
    Path b = ServingFixtures.bundle(dir.resolve("b"), 22);
    Path bad = corruptCopy(a);
    String idA = ModelBundle.id(a);
    String idB = ModelBundle.id(b);
    assertThat(idA).isNotEqualTo(idB);
    List<String> history = List.of("1", "2", "3", "40", "200");
    Map<String, List<String>> expected = new ConcurrentHashMap<>();
    for (Path bundle : List.of(a, b)) {
      try (Recommender recommender = new Recommender(ModelBundle.read(bundle))) {
        expected.put(ModelBundle.id(bundle),
            recommender.recommend(history, 5).items().stream().map(ScoredItem::id).toList());
      }
    }
    assertThat(expected.get(idA)).isNotEqualTo(expected.get(idB));

    try (RecommendationServer server = ServingFixtures.start(a)) {
      Client client = new Client(server);
      AtomicBoolean swapping = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<List<Answer>>> clients = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        clients.add(pool.submit(() -> {
          List<Answer> answers = new ArrayList<>();
          while (swapping.get() || answers.size() < 20) {
            answers.add(client.post("/v1/recommendations", "{\"items\": [\"1\", \"2\", \"3\", \"40\", \"200\"], \"k\": 5}"));
          }
          return answers;
        }));
      }
      List<JsonNode> swaps = new ArrayList<>();
      Thread.sleep(150);
      swaps.add(client.post("/v1/admin/reload", "{\"path\": \"" + b + "\"}").json());
      Thread.sleep(150);
      Answer refused = client.post("/v1/admin/reload", "{\"path\": \"" + bad + "\"}");
      Thread.sleep(150);
      String servingAfterRefusal = client.get("/health").json().get("model").asText();
      swaps.add(client.post("/v1/admin/reload", "{\"path\": \"" + a + "\"}").json());
      Thread.sleep(150);
      swaps.add(client.post("/v1/admin/reload", "").json());
      Thread.sleep(150);
      swapping.set(false);

      List<Answer> answers = new ArrayList<>();
      for (Future<List<Answer>> future : clients) {
        answers.addAll(future.get(60, TimeUnit.SECONDS));
      }
      pool.shutdownNow();

      assertThat(swaps.get(0).get("model").asText()).isEqualTo(idB);
      assertThat(swaps.get(0).get("previous").asText()).isEqualTo(idA);
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.json().get("error").asText())
          .startsWith("could not load the bundle, still serving " + idB + ": ")
          .contains("checksum mismatch");
      assertThat(servingAfterRefusal).isEqualTo(idB);
      assertThat(swaps.get(1).get("model").asText()).isEqualTo(idA);
      assertThat(swaps.get(2).get("model").asText()).isEqualTo(idA);
      assertThat(swaps.get(2).get("path").asText()).isEqualTo(a.toString());

      Map<Integer, Long> statuses =
          answers.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
      assertThat(statuses).as("statuses of %d requests", answers.size()).containsOnlyKeys(200);
      Map<String, Long> byModel = new java.util.HashMap<>();
      for (Answer answer : answers) {
        JsonNode json = answer.json();
        String model = json.get("model").asText();
        byModel.merge(model, 1L, Long::sum);
        List<String> ids = new ArrayList<>();
        json.get("items").forEach(item -> ids.add(item.get("id").asText()));
        assertThat(ids).as("answer of %s", model).isEqualTo(expected.get(model));
      }
      assertThat(byModel).containsOnlyKeys(idA, idB);
      String metrics = client.get("/metrics").body();
      assertThat(metrics).contains("vaecf_model_reloads_total{result=\"success\"} 3")
          .contains("vaecf_model_reloads_total{result=\"failure\"} 1");
    }
  }

  /** A request holding a lease on the old model finishes on it; the old model closes once it is returned. */
  @Test
  void aRetiredModelServesItsLeasesAndClosesAfterTheLast() {
    Path a = ServingFixtures.bundle(dir.resolve("a"), 31);
    Path b = ServingFixtures.bundle(dir.resolve("b"), 32);
    try (ModelSlot slot = new ModelSlot(a, RecommenderSettings.defaults())) {
      ModelSlot.Lease inFlight = slot.lease();
      ServingModel old = inFlight.model();
      slot.swap(b);
      assertThat(slot.peek().id()).isEqualTo(ModelBundle.id(b));
      assertThat(old.closed()).isFalse();
      assertThat(old.recommender().recommend(List.of("1"), 3).items()).hasSize(3);
      inFlight.close();
      assertThat(old.closed()).isTrue();
      assertThatThrownBy(() -> old.recommender().recommend(List.of("1"), 3))
          .hasMessage("the recommender is closed");
      try (ModelSlot.Lease next = slot.lease()) {
        assertThat(next.model().id()).isEqualTo(ModelBundle.id(b));
      }
      assertThatThrownBy(() -> slot.swap(dir.resolve("missing"))).isInstanceOf(BundleException.class);
      assertThat(slot.peek().id()).isEqualTo(ModelBundle.id(b));
    }
  }

  /**
   * With a long batching wait a request stays in flight for a while: stopping then refuses new requests with 503,
   * reports draining on /health, lets the request in flight finish with 200, and only then closes the port.
   */
  @Test
  void stopDrainsRequestsInFlightAndRefusesNewOnes() throws Exception {
    Path a = ServingFixtures.bundle(dir.resolve("a"), 41);
    RecommendationServer server =
        RecommendationServer.start(
            ServerConfig.builder(a).port(0).maxWait(Duration.ofMillis(1500)).maxBatch(8).build());
    Client client = new Client(server);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Answer> inFlight = pool.submit(() -> client.post("/v1/recommendations", "{\"items\": [\"7\"]}"));
      // wait until the request is inside the service (a cold client may take a while to connect), where it then
      // waits in the batcher for company
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (server.inFlight() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(server.inFlight()).isEqualTo(1);
      Future<?> stopping = pool.submit(server::stop);
      Thread.sleep(300);
      Answer health = client.get("/health");
      Answer refused = client.post("/v1/recommendations", "{\"items\": [\"7\"]}");

      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("draining");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().get("error").asText()).isEqualTo("the service is shutting down");
      assertThat(inFlight.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      stopping.get(30, TimeUnit.SECONDS);
      assertThatThrownBy(() -> client.get("/health")).isInstanceOf(java.io.UncheckedIOException.class);
    } finally {
      pool.shutdownNow();
      server.stop();
    }
  }
}
