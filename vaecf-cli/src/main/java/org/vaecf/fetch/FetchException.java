package org.vaecf.fetch;

import java.io.IOException;

/** A download, verification or unpacking failed; the message says what happened and what is left on disk. */
public final class FetchException extends IOException {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
