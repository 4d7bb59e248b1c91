package org.vaecf.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.vaecf.infer.Recommender;
import org.vaecf.infer.RecommenderSettings;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.TrainedModel;

/**
 * One loaded bundle and what serves from it: the recommender (with its scoring thread and network buffers) and the
 * item-similarity index. Requests hold a lease while they use it; once the model is retired by a swap it closes when
 * the last lease is returned, so in-flight requests finish on the model they started with.
 */
final class ServingModel {
  private final String id;
  private final Path path;
  private final Instant loadedAt;
  private final TrainedModel model;
  private final Recommender recommender;
  private final ItemSimilarity similarity;
  // leases held, plus one for being current; the model closes when this reaches zero
  private final AtomicInteger references = new AtomicInteger(1);

  private ServingModel(String id, Path path, TrainedModel model, RecommenderSettings settings) {
    this.id = id;
    this.path = path;
    this.loadedAt = Instant.now();
    this.model = model;
    // the index first: it starts no threads, so a failure building the recommender after it leaves nothing running
    this.similarity = new ItemSimilarity(model);
    try {
      this.recommender = new Recommender(model, settings);
    } catch (RuntimeException | Error e) {
      similarity.close();
      throw e;
    }
  }

  /**
   * Reads, checks and warms up the bundle in {@code path} (one fold-in runs before it is offered to clients).
   *
   * @throws org.vaecf.io.BundleException if the bundle is missing or invalid
   */
  static ServingModel load(Path path, RecommenderSettings settings) {
    TrainedModel model = ModelBundle.read(path);
    ServingModel serving = new ServingModel(ModelBundle.id(path), path, model, settings);
    try {
      serving.recommender.recommend(List.of(), 1);
    } catch (RuntimeException | Error e) {
      serving.release(); // a model that never served gives back its scoring threads and memory at once
      throw e;
    }
    return serving;
  }

  /** The short bundle id (a prefix of the weights' SHA-256). */
  String id() {
    return id;
  }

  Path path() {
    return path;
  }

  Instant loadedAt() {
    return loadedAt;
  }

  TrainedModel model() {
    return model;
  }

  Recommender recommender() {
    return recommender;
  }

  ItemSimilarity similarity() {
    return similarity;
  }

  /** Takes a lease; false if the model is already closed (retired and drained). */
  boolean tryAcquire() {
    while (true) {
      int count = references.get();
      if (count == 0) {
        return false;
      }
      if (references.compareAndSet(count, count + 1)) {
        return true;
      }
    }
  }

  /** Returns a lease (or, once, the "current" reference); the last one closes the model. */
  void release() {
    if (references.decrementAndGet() == 0) {
      recommender.close();
      similarity.close();
    }
  }

  /** Whether every reference is gone and the model closed. */
  boolean closed() {
    return references.get() == 0;
  }
}
