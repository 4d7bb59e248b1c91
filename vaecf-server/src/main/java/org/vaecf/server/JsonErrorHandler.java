package org.vaecf.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answers to requests that never reach a route — a request line Jetty cannot parse or decode (a broken
 * percent escape in the path, say), a header too large — in the service's JSON error shape ({@code status},
 * {@code error}) instead of Jetty's HTML page, so that a client reads every error of the service the same way.
 */
final class JsonErrorHandler extends ErrorHandler {
  /** The first words of the message for a request Jetty refused while parsing it; Jetty's reason follows. */
  static final String MALFORMED = "the request line is malformed";

  JsonErrorHandler() {
    setShowStacks(false);
    setShowServlet(false);
  }

  /** Requests refused while Jetty parsed them. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(body(status, describe(reason)));
  }

  /** Errors Jetty answers itself after parsing (no route was reached). */
  @Override
  protected void generateAcceptableResponse(
      Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
      throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.getOutputStream().write(body(code, code == 400 ? describe(message) : String.valueOf(message)));
  }

  private static String describe(String reason) {
    return MALFORMED + (reason == null || reason.isBlank() ? "" : " (" + reason + ")");
  }

  private static byte[] body(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of two strings cannot fail to serialise", e);
    }
  }
}
