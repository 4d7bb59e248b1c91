package org.vaecf.infer;

/**
 * Thrown by a {@link Recommender} whose scoring failed beyond one batch — an {@link Error} such as
 * {@link OutOfMemoryError} on a scoring thread, or a scoring thread that ended otherwise than by
 * {@link Recommender#close()} — for every request from then on; the cause is what stopped it (also given by
 * {@link Recommender#failure()}). A new recommender over the same model starts afresh. A {@link RuntimeException}
 * thrown while one batch is scored is not turned into this: that batch's requests fail with it, and the recommender
 * serves on.
 */
public final class RecommenderFailedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  RecommenderFailedException(Throwable cause) {
    super("the recommender has stopped scoring and refuses every request: a scoring thread failed with " + cause,
        cause);
  }
}
