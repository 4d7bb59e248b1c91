package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.infer.BatchObserver;
import org.vaecf.server.ServingFixtures.Client;
import org.vaecf.server.ServingFixtures.Client.Answer;

/**
 * A model whose scoring thread dies: requests are answered 503 at once instead of hanging, {@code /health} says
 * {@code failed} with the cause, and a reload serves again.
 */
class ScoringFailureTest {
  @TempDir Path dir;

  @Test
  void aFailedScoringThreadIs503OnRequestsAndHealthUntilTheModelIsReloaded() {
    Path bundle = ServingFixtures.bundle(dir.resolve("model"), 51);
    // armed after the start, so that the warm-up of the bundle passes; fires once, on the scoring thread, after a
    // product (an OutOfMemoryError thrown inside the product reaches the same place)
    AtomicBoolean armed = new AtomicBoolean();
    BatchObserver breaker = (users, nanos) -> {
      if (armed.compareAndSet(true, false)) {
        throw new OutOfMemoryError("test");
      }
    };
    try (RecommendationServer server =
        RecommendationServer.start(ServerConfig.builder(bundle).port(0).build(), breaker)) {
      Client client = new Client(server);
      String request = "{\"items\": [\"1\", \"2\"], \"k\": 3}";
      assertThat(client.post("/v1/recommendations", request).status()).isEqualTo(200);
      assertThat(client.get("/health").status()).isEqualTo(200);
      armed.set(true);

      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        Answer failed = client.post("/v1/recommendations", request);
        assertThat(failed.status()).as(failed.body()).isEqualTo(503);
        assertThat(failed.json().get("error").asText())
            .startsWith("the model cannot recommend until it is reloaded (POST /v1/admin/reload) or the service"
                + " restarts: ")
            .endsWith("java.lang.OutOfMemoryError: test");

        // the batcher is stopped: later requests are refused at once, single or batched
        assertThat(client.post("/v1/recommendations", request).status()).isEqualTo(503);
        assertThat(client.post("/v1/recommendations/batch", "{\"requests\": [" + request + "]}").status())
            .isEqualTo(503);
      });

      Answer health = client.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("failed");
      assertThat(health.json().get("model").asText()).isEqualTo(server.modelId());
      assertThat(health.json().get("error").asText()).contains("java.lang.OutOfMemoryError: test");
      // what does not score keeps answering
      assertThat(client.get("/v1/items/5/similar?k=2").status()).isEqualTo(200);

      assertThat(client.post("/v1/admin/reload", "").status()).isEqualTo(200);
      assertThat(client.get("/health").status()).isEqualTo(200);
      assertThat(client.post("/v1/recommendations", request).status()).isEqualTo(200);
    }
  }
}
