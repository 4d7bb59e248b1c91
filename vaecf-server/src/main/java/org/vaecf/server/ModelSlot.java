package org.vaecf.server;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.vaecf.infer.RecommenderSettings;

/**
 * The model being served, swappable while requests run. A swap loads the new bundle next to the old one and switches
 * with one atomic reference update; requests that took a lease on the old model finish on it, and it closes after
 * the last of them. A bundle that fails to load is rejected and the old model keeps serving.
 */
final class ModelSlot implements AutoCloseable {
  private final RecommenderSettings settings;
  private final AtomicReference<ServingModel> current;

  /** A lease on the current model, returned by {@link #close()}. */
  static final class Lease implements AutoCloseable {
    private final ServingModel model;

    private Lease(ServingModel model) {
      this.model = model;
    }

    ServingModel model() {
      return model;
    }

    @Override
    public void close() {
      model.release();
    }
  }

  /** Outcome of a swap. */
  record Swap(String previousId, ServingModel now, double seconds) {}

  /**
   * Loads the first model.
   *
   * @throws org.vaecf.io.BundleException if it cannot be loaded
   */
  ModelSlot(Path modelDir, RecommenderSettings settings) {
    this.settings = settings;
    this.current = new AtomicReference<>(ServingModel.load(modelDir, settings));
  }

  /** A lease on the model serving now. */
  Lease lease() {
    while (true) {
      ServingModel model = current.get();
      if (model.tryAcquire()) {
        return new Lease(model);
      }
      if (current.get() == model) {
        throw new IllegalStateException("the service is shutting down");
      }
      // the model was retired and drained between the read and the acquire: the new one is current, try it
    }
  }

  /** The model serving now (for metadata; take a {@link #lease()} to use it). */
  ServingModel peek() {
    return current.get();
  }

  /**
   * Loads {@code modelDir} and makes it current. Swaps are serialised; requests are never blocked by one.
   *
   * @throws org.vaecf.io.BundleException if the bundle cannot be loaded; the old model stays current
   */
  synchronized Swap swap(Path modelDir) {
    long started = System.nanoTime();
    ServingModel next = ServingModel.load(modelDir, settings);
    ServingModel previous = current.getAndSet(next);
    previous.release(); // drop its "current" reference: it closes once its in-flight requests are done
    return new Swap(previous.id(), next, (System.nanoTime() - started) / 1e9);
  }

  /** Retires the current model (it closes once its leases are returned). */
  @Override
  public synchronized void close() {
    current.get().release();
  }
}
