package org.vaecf.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaecf.data.IdIndex;
import org.vaecf.infer.NoKnownItemsException;
import org.vaecf.infer.Recommendation;
import org.vaecf.infer.RecommendationRequest;

/** {@code POST /v1/recommendations} and {@code POST /v1/recommendations/batch}: fold-in for any user's history. */
final class RecommendationEndpoints {
  private final ModelSlot slot;
  private final RequestParser parser;

  RecommendationEndpoints(ModelSlot slot, RequestParser parser) {
    this.slot = slot;
    this.parser = parser;
  }

  /**
   * One user: {@code {"items": [...], "k": 10, "exclude": [...], "candidates": [...]}} →
   * {@code {"items": [{"id", "score"}], "unknownItems": [...], "model": id}}; 422 when no history item is known.
   */
  void recommend(Context ctx) {
    RecommendationRequest request = parser.recommendation(parser.object(Json.body(ctx)), "");
    try (ModelSlot.Lease lease = slot.lease()) {
      Recommendation recommendation;
      try {
        recommendation = lease.model().recommender().recommend(request);
      } catch (NoKnownItemsException e) {
        throw new ApiException(422, e.getMessage(), e.unknownItems());
      }
      Map<String, Object> body = answer(recommendation);
      body.put("model", lease.model().id());
      Json.write(ctx, 200, body);
    }
  }

  /**
   * Many users in one call: {@code {"requests": [...]}} → {@code {"results": [...], "model": id}}, results in request
   * order. A user none of whose items is known gets {@code {"error", "unknownItems"}} in its place; the others are
   * answered.
   */
  void recommendBatch(Context ctx) {
    List<RecommendationRequest> requests = parser.batch(parser.object(Json.body(ctx)));
    try (ModelSlot.Lease lease = slot.lease()) {
      IdIndex items = lease.model().model().items();
      boolean[] known = new boolean[requests.size()];
      List<RecommendationRequest> answerable = new ArrayList<>(requests.size());
      for (int r = 0; r < requests.size(); r++) {
        known[r] = knowsSome(requests.get(r), items);
        if (known[r]) {
          answerable.add(requests.get(r));
        }
      }
      List<Recommendation> answers = lease.model().recommender().recommendBatch(answerable);
      List<Map<String, Object>> results = new ArrayList<>(requests.size());
      int next = 0;
      for (int r = 0; r < requests.size(); r++) {
        RecommendationRequest request = requests.get(r);
        if (known[r]) {
          results.add(answer(answers.get(next++)));
        } else {
          NoKnownItemsException refusal = new NoKnownItemsException(request.items());
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("error", refusal.getMessage());
          error.put("unknownItems", refusal.unknownItems());
          results.add(error);
        }
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("results", results);
      body.put("model", lease.model().id());
      Json.write(ctx, 200, body);
    }
  }

  /** Whether the history is empty (allowed: the cold-start ranking) or holds at least one known item. */
  private static boolean knowsSome(RecommendationRequest request, IdIndex items) {
    if (request.items().isEmpty()) {
      return true;
    }
    for (String id : request.items()) {
      if (items.contains(id)) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Object> answer(Recommendation recommendation) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", Json.items(recommendation.items()));
    body.put("unknownItems", recommendation.unknownItems());
    return body;
  }
}
