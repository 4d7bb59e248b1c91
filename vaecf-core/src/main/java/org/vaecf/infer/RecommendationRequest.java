package org.vaecf.infer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to recommend for one user.
 *
 * @param items the user's history (raw item ids): folded in through the encoder
 * @param k how many items to return, {@code > 0}
 * @param exclude further ids never to return
 * @param candidates when present, only these ids may be returned
 * @param excludeHistory whether the history's own items are excluded (the usual case)
 */
public record RecommendationRequest(
    List<String> items, int k, List<String> exclude, Optional<List<String>> candidates, boolean excludeHistory) {
  public RecommendationRequest {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
    exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
    candidates = Objects.requireNonNull(candidates, "candidates").map(List::copyOf);
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
  }

  /** The top {@code k} items for a user with {@code items}, history excluded. */
  public static RecommendationRequest of(List<String> items, int k) {
    return new RecommendationRequest(items, k, List.of(), Optional.empty(), true);
  }

  /** A copy that also excludes {@code ids}. */
  public RecommendationRequest excluding(List<String> ids) {
    return new RecommendationRequest(items, k, ids, candidates, excludeHistory);
  }

  /** A copy restricted to {@code ids}. */
  public RecommendationRequest restrictedTo(List<String> ids) {
    return new RecommendationRequest(items, k, exclude, Optional.of(ids), excludeHistory);
  }

  /** A copy that keeps or drops the history's items from the result. */
  public RecommendationRequest withExcludeHistory(boolean value) {
    return new RecommendationRequest(items, k, exclude, candidates, value);
  }
}
