package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.server.ServingFixtures.Client;
import org.vaecf.server.ServingFixtures.Client.Answer;

/**
 * Keeps {@code /openapi.json} true: its operations are exactly the server's routes, and every operation called with
 * the document's own examples answers 200 with a body that fits the documented schema (required fields present, no
 * undocumented field, the documented JSON types).
 */
class OpenApiTest {
  @TempDir static Path dir;
  private static RecommendationServer server;
  private static Client client;
  private static JsonNode doc;

  @BeforeAll
  static void start() {
    server = ServingFixtures.start(ServingFixtures.bundle(dir.resolve("model"), 5));
    client = new Client(server);
    Answer answer = client.get("/openapi.json");
    assertThat(answer.status()).isEqualTo(200);
    doc = answer.json();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void documentedOperationsAreExactlyTheRoutes() {
    TreeSet<String> documented = new TreeSet<>();
    doc.get("paths").fields().forEachRemaining(
        path -> path.getValue().fieldNames().forEachRemaining(
            method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
    TreeSet<String> served = new TreeSet<>();
    for (Route route : server.routes()) {
      served.add(route.method().name() + " " + route.path());
    }
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void everyOperationAnswersItsExampleWithTheDocumentedSchema() {
    List<String> checked = new ArrayList<>();
    doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
      String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
      JsonNode spec = operation.getValue();
      Answer answer = call(method, path.getKey(), spec);
      String what = method + " " + path.getKey();
      assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(200);
      JsonNode ok = spec.get("responses").get("200").get("content");
      String type = ok.fieldNames().next();
      assertThat(answer.contentType()).as(what).startsWith(type);
      if (type.equals("application/json")) {
        List<String> problems = new ArrayList<>();
        validate(answer.json(), ok.get(type).get("schema"), "$", problems);
        assertThat(problems).as(what).isEmpty();
      }
      checked.add(what);
    }));
    assertThat(checked).hasSize(server.routes().size());
  }

  /** Also the error schema: a documented 4xx answer fits it. */
  @Test
  void errorAnswersFitTheErrorSchema() {
    JsonNode schema = doc.at("/components/schemas/Error");
    for (Answer answer :
        List.of(
            client.post("/v1/recommendations", "{bad"),
            client.post("/v1/recommendations", "{\"items\": [\"none\"]}"),
            client.get("/v1/items/none/similar"))) {
      List<String> problems = new ArrayList<>();
      validate(answer.json(), schema, "$", problems);
      assertThat(problems).as(answer.body()).isEmpty();
      assertThat(answer.status()).isBetween(400, 499);
    }
  }

  private static Answer call(String method, String template, JsonNode spec) {
    String path = template;
    StringBuilder query = new StringBuilder();
    for (JsonNode parameter : spec.path("parameters")) {
      String value = parameter.get("example").asText();
      if (parameter.get("in").asText().equals("path")) {
        path = path.replace("{" + parameter.get("name").asText() + "}", value);
      } else {
        query.append(query.length() == 0 ? "?" : "&").append(parameter.get("name").asText()).append('=').append(value);
      }
    }
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path + query);
    JsonNode example = spec.at("/requestBody/content/application~1json/example");
    HttpRequest.BodyPublisher body =
        example.isMissingNode()
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(example.toString());
    return client.send(HttpRequest.newBuilder(uri).method(method, body).header("Content-Type", "application/json"));
  }

  private static JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      schema = doc.at(schema.get("$ref").asText().substring(1));
    }
    return schema;
  }

  private static void validate(JsonNode value, JsonNode schemaRef, String where, List<String> problems) {
    JsonNode schema = resolve(schemaRef);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(where + " is null but not nullable");
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          problems.add(where + " should be an object");
          return;
        }
        for (JsonNode required : schema.path("required")) {
          if (!value.has(required.asText())) {
            problems.add(where + "." + required.asText() + " is required but missing");
          }
        }
        JsonNode properties = schema.get("properties");
        if (properties == null) {
          return; // a free-form object (training settings, data statistics)
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
          Map.Entry<String, JsonNode> field = fields.next();
          JsonNode property = properties.get(field.getKey());
          if (property == null) {
            problems.add(where + "." + field.getKey() + " is not documented");
          } else {
            validate(field.getValue(), property, where + "." + field.getKey(), problems);
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          problems.add(where + " should be an array");
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          validate(value.get(i), schema.get("items"), where + "[" + i + "]", problems);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(where + " should be a string");
        } else if (schema.has("enum")) {
          List<String> allowed = new ArrayList<>();
          schema.get("enum").forEach(e -> allowed.add(e.asText()));
          if (!allowed.contains(value.asText())) {
            problems.add(where + " = " + value.asText() + " is not one of " + allowed);
          }
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(where + " should be an integer");
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          problems.add(where + " should be a number");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(where + " should be a boolean");
        }
      }
      default -> problems.add(where + ": the schema has no type");
    }
  }
}
