package org.vaecf.infer;

import java.util.List;

/**
 * The answer to one {@link RecommendationRequest}.
 *
 * @param items the top items, best first
 * @param unknownItems ids of the request (history, exclusions, candidates) that the model does not know, in request
 *     order without repeats; they were ignored
 */
public record Recommendation(List<ScoredItem> items, List<String> unknownItems) {
  public Recommendation {
    items = List.copyOf(items);
    unknownItems = List.copyOf(unknownItems);
  }
}
