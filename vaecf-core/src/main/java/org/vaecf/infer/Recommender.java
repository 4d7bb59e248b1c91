package org.vaecf.infer;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.vaecf.data.CsrMatrix;
import org.vaecf.data.IdIndex;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Parallel;
import org.vaecf.linalg.TopK;
import org.vaecf.model.ModelScorer;
import org.vaecf.model.TrainedModel;

/**
 * Recommends items for any user given their history, by fold-in: the history goes through the encoder in prediction
 * mode (µ only, no dropout), so a brand-new user needs no retraining and the same history always gets the same
 * answer. This is the same computation as the evaluation path.
 *
 * <p>Thread-safe: requests share one prediction network under a lock; {@link #recommendBatch} scores many users per
 * matrix product, which is how throughput is obtained. The recommender never sees training data.
 */
public final class Recommender implements AutoCloseable {
  /** Users per matrix product in {@link #recommendBatch}. */
  public static final int DEFAULT_BATCH = 256;

  private final TrainedModel model;
  private final IdIndex items;
  private final Parallel parallel;
  private final ModelScorer scorer;
  private final ReentrantLock lock = new ReentrantLock();

  /** A recommender over {@code model} using one thread. */
  public Recommender(TrainedModel model) {
    this(model, 1, DEFAULT_BATCH);
  }

  /**
   * @param model the trained model
   * @param threads threads for the products and loops, {@code >= 1}
   * @param maxBatch most users scored by one product, {@code >= 1}
   */
  public Recommender(TrainedModel model, int threads, int maxBatch) {
    this.model = Objects.requireNonNull(model, "model");
    this.items = model.items();
    this.parallel = new Parallel(threads);
    Blas.setThreads(threads);
    this.scorer = new ModelScorer(model.newNetwork(maxBatch, parallel));
  }

  /** The model recommended from. */
  public TrainedModel model() {
    return model;
  }

  /** The top {@code k} items for a user with history {@code history}, history excluded. */
  public Recommendation recommend(List<String> history, int k) {
    return recommend(RecommendationRequest.of(history, k));
  }

  /**
   * Answers one request. An empty history is allowed: the encoder then sees the zero vector, so every such user gets
   * the same list, the model's ranking for a user about whom nothing is known, with nothing excluded but
   * {@code exclude}.
   *
   * @throws NoKnownItemsException if the history is non-empty and no item of it is known
   */
  public Recommendation recommend(RecommendationRequest request) {
    return recommendBatch(List.of(request)).get(0);
  }

  /**
   * Answers many requests, scoring up to the batch capacity per matrix product; results are in request order.
   *
   * @throws NoKnownItemsException if some request's history is non-empty and no item of it is known
   */
  public List<Recommendation> recommendBatch(List<RecommendationRequest> requests) {
    List<Resolved> resolved = new ArrayList<>(requests.size());
    for (RecommendationRequest request : requests) {
      resolved.add(resolve(request));
    }
    List<Recommendation> answers = new ArrayList<>(requests.size());
    int capacity = scorer.capacity();
    for (int first = 0; first < resolved.size(); first += capacity) {
      List<Resolved> chunk = resolved.subList(first, Math.min(resolved.size(), first + capacity));
      CsrMatrix.Builder histories = new CsrMatrix.Builder(items.size());
      for (Resolved r : chunk) {
        histories.addRow(r.history);
      }
      lock.lock();
      try {
        FloatBuffer logits = scorer.score(histories.build());
        for (int row = 0; row < chunk.size(); row++) {
          answers.add(answer(chunk.get(row), logits, row * items.size()));
        }
      } finally {
        lock.unlock();
      }
    }
    return answers;
  }

  private Recommendation answer(Resolved request, FloatBuffer logits, int offset) {
    int itemCount = items.size();
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < itemCount; i++) {
      max = Math.max(max, logits.get(offset + i));
    }
    double sum = 0;
    for (int i = 0; i < itemCount; i++) {
      sum += Math.exp(logits.get(offset + i) - max);
    }
    double logNormalizer = max + Math.log(sum);
    int[] top = request.select(logits, offset, itemCount);
    List<ScoredItem> ranked = new ArrayList<>(top.length);
    for (int item : top) {
      ranked.add(new ScoredItem(items.rawId(item), Math.exp(logits.get(offset + item) - logNormalizer)));
    }
    return new Recommendation(ranked, request.unknown);
  }

  private Resolved resolve(RecommendationRequest request) {
    Set<String> unknown = new LinkedHashSet<>();
    int[] history = indexes(request.items(), unknown);
    if (history.length == 0 && !request.items().isEmpty()) {
      throw new NoKnownItemsException(request.items());
    }
    int[] excluded = indexes(request.exclude(), unknown);
    if (request.excludeHistory()) {
      excluded = union(excluded, history);
    }
    int[] candidates = request.candidates().isPresent() ? indexes(request.candidates().get(), unknown) : null;
    return new Resolved(history, excluded, candidates, request.k(), List.copyOf(unknown));
  }

  /** Sorted distinct indexes of the known ids; unknown ids are added to {@code unknown}. */
  private int[] indexes(List<String> ids, Set<String> unknown) {
    int[] found = new int[ids.size()];
    int count = 0;
    for (String id : ids) {
      OptionalInt index = items.indexOf(id);
      if (index.isPresent()) {
        found[count++] = index.getAsInt();
      } else {
        unknown.add(id);
      }
    }
    return Arrays.stream(found, 0, count).sorted().distinct().toArray();
  }

  private static int[] union(int[] a, int[] b) {
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return Arrays.stream(both).sorted().distinct().toArray();
  }

  @Override
  public void close() {
    parallel.close();
  }

  /** A request with ids turned into sorted item indexes. */
  private static final class Resolved {
    final int[] history;
    final int[] excluded;
    final int[] candidates;
    final int k;
    final List<String> unknown;

    Resolved(int[] history, int[] excluded, int[] candidates, int k, List<String> unknown) {
      this.history = history;
      this.excluded = excluded;
      this.candidates = candidates;
      this.k = k;
      this.unknown = unknown;
    }

    /** The top-k item indexes by logit, honouring exclusions and candidates. */
    int[] select(FloatBuffer logits, int offset, int itemCount) {
      // TopK allocates room for k items, so k is capped at what can be returned: a request may ask for any k.
      if (candidates == null) {
        int[] out = new int[Math.min(k, itemCount)];
        int length = new TopK(out.length).select(logits, offset, itemCount, excluded, 0, excluded.length, out);
        return Arrays.copyOf(out, length);
      }
      int[] allowed = Arrays.stream(candidates).filter(c -> Arrays.binarySearch(excluded, c) < 0).toArray();
      if (allowed.length == 0) {
        return allowed;
      }
      float[] scores = new float[allowed.length];
      for (int c = 0; c < allowed.length; c++) {
        scores[c] = logits.get(offset + allowed[c]);
      }
      int[] positions = new TopK(Math.min(k, allowed.length)).select(scores, new int[0]);
      int[] chosen = new int[positions.length];
      for (int p = 0; p < positions.length; p++) {
        chosen[p] = allowed[positions[p]];
      }
      return chosen;
    }
  }
}
