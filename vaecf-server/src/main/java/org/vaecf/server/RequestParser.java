package org.vaecf.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vaecf.infer.RecommendationRequest;

/**
 * Reads request bodies into {@link RecommendationRequest}s, strictly: malformed JSON, unknown fields, wrong types and
 * values beyond the {@link ServerConfig.Limits} are refused with a 400 that names the field, so a client's typo
 * ({@code "item"} for {@code "items"}) is caught rather than silently ignored.
 */
final class RequestParser {
  /** {@code k} when a request does not give one. */
  static final int DEFAULT_K = 10;
  private static final Set<String> FIELDS = Set.of("items", "k", "exclude", "candidates", "excludeHistory");
  private static final String FIELD_LIST = "items, k, exclude, candidates, excludeHistory";

  private final ObjectMapper json =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private final ServerConfig.Limits limits;

  RequestParser(ServerConfig.Limits limits) {
    this.limits = limits;
  }

  /**
   * The query parameters of {@code rawQuery} (the undecoded text after {@code ?}, or null), strictly: only names in
   * {@code allowed}, each at most once, names and values in valid URL encoding. A typo ({@code ?K=5}) or a broken
   * escape ({@code ?k=%ZZ}, which the HTTP layer drops without a word) is refused with a 400 naming it, rather than
   * answered with the defaults.
   */
  Map<String, String> query(String rawQuery, Set<String> allowed) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decodeQueryPart(equals < 0 ? pair : pair.substring(0, equals), "a query parameter name");
      if (!allowed.contains(name)) {
        throw ApiException.badRequest(
            "unknown query parameter '" + name + "'; expected " + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
      String value = decodeQueryPart(equals < 0 ? "" : pair.substring(equals + 1), "query parameter " + name);
      if (parameters.putIfAbsent(name, value) != null) {
        throw ApiException.badRequest("query parameter " + name + " is given more than once");
      }
    }
    return parameters;
  }

  private static String decodeQueryPart(String text, String what) {
    try {
      return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(what + " is not valid URL encoding ('" + text + "'): " + e.getMessage());
    }
  }

  /** The JSON object in {@code body}. */
  JsonNode object(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("the request body is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonParseException e) {
      throw ApiException.badRequest(
          "the body is not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
              + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object, got " + kind(node));
    }
    return node;
  }

  /** A single recommendation request: {@code {"items": [...], "k": 10, "exclude": [...], "candidates": [...]}}. */
  RecommendationRequest recommendation(JsonNode node, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiException.badRequest(where + "unknown field '" + name + "'; expected " + FIELD_LIST);
      }
    }
    JsonNode itemsNode = node.get("items");
    if (itemsNode == null) {
      throw ApiException.badRequest(where + "items is required (the user's item ids, an array of strings)");
    }
    List<String> items = ids(itemsNode, where + "items");
    int k = k(node.get("k"), where + "k");
    List<String> exclude = node.has("exclude") ? ids(node.get("exclude"), where + "exclude") : List.of();
    Optional<List<String>> candidates =
        node.has("candidates") ? Optional.of(ids(node.get("candidates"), where + "candidates")) : Optional.empty();
    boolean excludeHistory = true;
    JsonNode flag = node.get("excludeHistory");
    if (flag != null) {
      if (!flag.isBoolean()) {
        throw ApiException.badRequest(where + "excludeHistory must be true or false, got " + kind(flag));
      }
      excludeHistory = flag.booleanValue();
    }
    return new RecommendationRequest(items, k, exclude, candidates, excludeHistory);
  }

  /** A batch: {@code {"requests": [request, ...]}}. */
  List<RecommendationRequest> batch(JsonNode node) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("requests")) {
        throw ApiException.badRequest("unknown field '" + name + "'; expected requests");
      }
    }
    JsonNode list = node.get("requests");
    if (list == null || !list.isArray()) {
      throw ApiException.badRequest(
          "requests is required: an array of objects like the body of POST /v1/recommendations"
              + (list == null ? "" : ", got " + kind(list)));
    }
    if (list.size() > limits.maxBatchUsers()) {
      throw ApiException.badRequest(
          "requests holds " + list.size() + " users; at most " + limits.maxBatchUsers() + " are allowed per call");
    }
    List<RecommendationRequest> requests = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      String where = "requests[" + i + "].";
      if (!entry.isObject()) {
        throw ApiException.badRequest("requests[" + i + "] must be an object, got " + kind(entry));
      }
      requests.add(recommendation(entry, where));
    }
    return requests;
  }

  /** {@code k} from a query parameter (null when absent). */
  int k(String text, String name) {
    if (text == null) {
      return DEFAULT_K;
    }
    int k;
    try {
      k = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, got '" + text + "'");
    }
    return checkK(k, name);
  }

  private int k(JsonNode node, String name) {
    if (node == null) {
      return DEFAULT_K;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw ApiException.badRequest(name + " must be an integer, got " + kind(node));
    }
    return checkK(node.intValue(), name);
  }

  private int checkK(int k, String name) {
    if (k < 1 || k > limits.maxK()) {
      throw ApiException.badRequest(name + " must be in [1, " + limits.maxK() + "], got " + k);
    }
    return k;
  }

  private List<String> ids(JsonNode node, String name) {
    if (!node.isArray()) {
      throw ApiException.badRequest(name + " must be an array of strings (item ids), got " + kind(node));
    }
    if (node.size() > limits.maxItems()) {
      throw ApiException.badRequest(
          name + " holds " + node.size() + " ids; at most " + limits.maxItems() + " are allowed");
    }
    List<String> ids = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode id = node.get(i);
      if (!id.isTextual()) {
        throw ApiException.badRequest(
            name + "[" + i + "] must be a string (item ids are strings, e.g. \"50\"), got " + kind(id));
      }
      ids.add(id.textValue());
    }
    return ids;
  }

  /** The JSON kind of {@code node}, for messages. */
  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
