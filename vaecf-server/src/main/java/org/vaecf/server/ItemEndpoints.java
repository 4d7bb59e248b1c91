package org.vaecf.server;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** {@code GET /v1/items/{id}/similar?k=10}: nearest items by cosine over the decoder's item vectors. */
final class ItemEndpoints {
  private static final Set<String> QUERY = Set.of("k");
  private final ModelSlot slot;
  private final RequestParser parser;

  ItemEndpoints(ModelSlot slot, RequestParser parser) {
    this.slot = slot;
    this.parser = parser;
  }

  void similar(Context ctx) {
    String id = ctx.pathParam("id");
    int k = parser.k(parser.query(ctx.queryString(), QUERY).get("k"), "k");
    try (ModelSlot.Lease lease = slot.lease()) {
      OptionalInt index = lease.model().model().items().indexOf(id);
      if (index.isEmpty()) {
        throw new ApiException(404, "item '" + id + "' is not known to the model");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("item", id);
      body.put("items", Json.items(lease.model().similarity().similar(index.getAsInt(), k)));
      body.put("model", lease.model().id());
      Json.write(ctx, 200, body);
    }
  }
}
