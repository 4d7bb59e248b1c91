package org.vaecf.fetch;

/** Receives a download's progress; called on the downloading thread. */
public interface DownloadProgress {
  /** {@code done} bytes of {@code total} are on disk ({@code total} is -1 when the server did not say). */
  void update(long done, long total);

  /** The download ended, successfully or not. */
  default void finish() {}

  /** A display that shows nothing. */
  DownloadProgress NONE = (done, total) -> {};
}
