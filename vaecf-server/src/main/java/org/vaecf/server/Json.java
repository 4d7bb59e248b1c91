package org.vaecf.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.infer.ScoredItem;

/** The request body read for a handler, and writing JSON answers and errors. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  /** Request attribute holding the body read before the handler runs. */
  static final String BODY = "vaecf.body";

  private Json() {}

  /**
   * The request body, read in full by the server before the handler runs ({@link BodyReader}, within the size
   * limit); empty when the route reads none.
   */
  static byte[] body(Context ctx) {
    byte[] body = ctx.attribute(BODY);
    return body == null ? new byte[0] : body;
  }

  /** Writes {@code value} as the JSON answer with {@code status}. */
  static void write(Context ctx, int status, Object value) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a JSON answer", e);
    }
  }

  /** Writes the error answer {@code {"error": message, "status": status}} (plus {@code unknownItems} if any). */
  static void error(Context ctx, int status, String message, List<String> unknownItems) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    if (!unknownItems.isEmpty()) {
      body.put("unknownItems", unknownItems);
    }
    write(ctx, status, body);
  }

  /** {@code [{"id": …, "score": …}, …]}. */
  static List<Map<String, Object>> items(List<ScoredItem> items) {
    return items.stream()
        .map(
            item -> {
              Map<String, Object> entry = new LinkedHashMap<>(4);
              entry.put("id", item.id());
              entry.put("score", item.score());
              return entry;
            })
        .toList();
  }
}
