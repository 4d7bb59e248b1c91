package org.vaecf.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.infer.ScoredItem;

/** Reading bodies within the size limit, and writing JSON answers and errors. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * The request body, refused with 413 when larger than {@code maxBytes} (by its declared length, or while reading
   * when no length is declared).
   */
  static byte[] body(Context ctx, int maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw new ApiException(413, "the body has " + declared + " bytes; at most " + maxBytes + " are allowed");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new ApiException(413, "the body exceeds " + maxBytes + " bytes, the most allowed");
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read: " + e.getMessage());
    }
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
