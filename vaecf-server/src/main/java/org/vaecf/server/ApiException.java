package org.vaecf.server;

import java.util.List;

/** A request the service refuses, with the HTTP status and a message for the client; never a server fault. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final List<String> unknownItems;

  ApiException(int status, String message) {
    this(status, message, List.of());
  }

  ApiException(int status, String message, List<String> unknownItems) {
    super(message, null, false, false); // a client's mistake: no stack trace to collect
    this.status = status;
    this.unknownItems = List.copyOf(unknownItems);
  }

  int status() {
    return status;
  }

  /** For 422 answers: the ids the model does not know. */
  List<String> unknownItems() {
    return unknownItems;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
