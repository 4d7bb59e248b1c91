package org.vaecf.io;

import java.nio.file.Path;

/** A model bundle could not be written or read; the message names the path and what was wrong. */
public final class BundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param path the bundle or file concerned */
  public BundleException(Path path, String problem) {
    super(path + ": " + problem);
  }

  /** @param path the bundle or file concerned */
  public BundleException(Path path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
  }
}
