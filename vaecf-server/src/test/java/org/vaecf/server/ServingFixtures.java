package org.vaecf.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vaecf.data.IdIndex;
import org.vaecf.io.ModelBundle;
import org.vaecf.linalg.Parallel;
import org.vaecf.model.Autoencoder;
import org.vaecf.model.EpochRecord;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.ModelWeights;
import org.vaecf.model.TrainedModel;
import org.vaecf.model.TrainingRecord;

/** Small model bundles (random initial weights, MovieLens-like ids "1".."N") and an HTTP client for server tests. */
final class ServingFixtures {
  static final ModelConfig CONFIG = new ModelConfig(ModelType.MULT_VAE, List.of(32), 16, 0.5f);
  static final int ITEMS = 400;

  private ServingFixtures() {}

  /** A model over items "1".."{@value #ITEMS}" initialised from {@code seed}. */
  static TrainedModel model(long seed) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= ITEMS; i++) {
      ids.add(Integer.toString(i));
    }
    ModelWeights weights;
    try (Parallel parallel = new Parallel(1)) {
      weights = Autoencoder.initialize(CONFIG, ITEMS, 4, seed, parallel).snapshot();
    }
    TrainingRecord record =
        new TrainingRecord(
            seed, 1, Map.of("epochs", 1), Map.of("trainUsers", 10), "ndcg@100", 1, 0.25,
            List.of(new EpochRecord(1, 10.0, 9.0, 1.0, 0.2, 0.25, 0.5, 0.001, 3)), "2018-04-23T12:00:00Z", "test");
    return new TrainedModel(CONFIG, IdIndex.of(ids), weights, record);
  }

  /** Writes {@link #model(long)} as a bundle in {@code dir}. */
  static Path bundle(Path dir, long seed) {
    ModelBundle.write(model(seed), dir);
    return dir;
  }

  /** A server on a free loopback port serving {@code modelDir}. */
  static RecommendationServer start(Path modelDir) {
    return RecommendationServer.start(ServerConfig.builder(modelDir).port(0).build());
  }

  /** A small blocking HTTP client for one server. */
  static final class Client {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    Client(RecommendationServer server) {
      this.base = "http://127.0.0.1:" + server.port();
    }

    /** Status and body of one exchange. */
    record Answer(int status, String body, String contentType) {
      JsonNode json() {
        try {
          return Json.MAPPER.readTree(body);
        } catch (IOException e) {
          throw new AssertionError("not JSON: " + body, e);
        }
      }
    }

    Answer get(String path) {
      return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, String body) {
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * A GET whose target is sent byte for byte as given, for targets that {@link URI} refuses to build (a broken
     * percent escape, say), which a real client may still send. Answers with HTTP/1.0 and closes the connection.
     */
    Answer rawGet(String target) {
      java.net.URI uri = URI.create(base);
      try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(
            ("GET " + target + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String response =
            new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int headersEnd = response.indexOf("\r\n\r\n");
        String head = response.substring(0, headersEnd);
        int status = Integer.parseInt(head.substring(head.indexOf(' ') + 1, head.indexOf(' ') + 4));
        String contentType = "";
        for (String line : head.split("\r\n")) {
          if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
            contentType = line.substring(13).trim();
          }
        }
        return new Answer(status, response.substring(headersEnd + 4), contentType);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    Answer send(HttpRequest.Builder request) {
      try {
        HttpResponse<String> response =
            http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
            response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
