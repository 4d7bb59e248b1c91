package org.vaecf.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.vaecf.infer.RecommendationRequest;

/**
 * Hostile request bodies for the HTTP request parser: random bytes, text made of JSON's structural characters, JSON
 * objects with random fields and values of every type, huge arrays. Each body ends in a request within the limits or
 * an {@link ApiException} with status 400 — never another exception.
 */
class RequestParserProperties {
  private final ServerConfig.Limits limits = ServerConfig.Limits.defaults();
  private final RequestParser parser = new RequestParser(limits);

  private void parseSingleAndBatch(byte[] body) {
    try {
      RecommendationRequest request = parser.recommendation(parser.object(body), "");
      assertThat(request.k()).isBetween(1, limits.maxK());
      assertThat(request.items().size()).isLessThanOrEqualTo(limits.maxItems());
    } catch (ApiException refused) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.getMessage()).isNotBlank();
    }
    try {
      List<RecommendationRequest> batch = parser.batch(parser.object(body));
      assertThat(batch.size()).isLessThanOrEqualTo(limits.maxBatchUsers());
    } catch (ApiException refused) {
      assertThat(refused.status()).isEqualTo(400);
    }
  }

  @Property(tries = 500)
  void randomBytes(@ForAll("bytes") byte[] body) {
    parseSingleAndBatch(body);
  }

  @Property(tries = 500)
  void jsonLikeText(@ForAll("jsonish") String body) {
    parseSingleAndBatch(body.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 500)
  void objectsWithRandomFieldsAndTypes(@ForAll("objects") String body) {
    parseSingleAndBatch(body.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 5)
  void millionItemRequestsAreRefused(@ForAll @IntRange(min = 1_000_000, max = 1_200_000) int count) {
    StringBuilder body = new StringBuilder("{\"items\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append('"').append(i).append('"');
    }
    body.append("],\"k\":10}");
    try {
      parser.recommendation(parser.object(body.toString().getBytes(StandardCharsets.UTF_8)), "");
      throw new AssertionError("a request of " + count + " items was accepted");
    } catch (ApiException refused) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.getMessage()).contains("items");
    }
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-truefalsn \\u\uFEFF\r\n\t").ofMaxLength(300);
  }

  @Provide
  Arbitrary<String> objects() {
    Arbitrary<String> keys =
        Arbitraries.of("items", "k", "exclude", "candidates", "excludeHistory", "users", "item", "", "K");
    Arbitrary<String> values =
        Arbitraries.of(
            "null", "0", "-1", "10", "1001", "2147483648", "1e400", "1.5", "\"10\"", "true", "[]", "{}",
            "[\"1\",\"2\"]", "[1,2]", "[null]", "[\"\"]", "[[\"1\"]]", "\"x\"", "[{\"items\":[\"1\"]}]",
            "[\"a\\u0000b\"]", "\"\\ud800\"");
    return Arbitraries.maps(keys, values).ofMaxSize(6).map(map -> {
      StringBuilder text = new StringBuilder("{");
      map.forEach((key, value) -> text.append(text.length() > 1 ? "," : "").append('"').append(key).append("\":")
          .append(value));
      return text.append('}').toString();
    });
  }
}
