package org.vaecf.server;

import java.nio.FloatBuffer;
import java.util.List;
import org.vaecf.infer.ScoredItem;
import org.vaecf.data.IdIndex;
import org.vaecf.linalg.Blas;
import org.vaecf.linalg.Matrix;
import org.vaecf.linalg.TopK;
import org.vaecf.model.NamedTensor;
import org.vaecf.model.TrainedModel;

/**
 * Items similar to an item, by cosine similarity of the decoder's item vectors: column {@code j} of the last decoder
 * weight (hidden × items) is the vector whose dot product with the last hidden layer gives item {@code j}'s logit, so
 * items the model would recommend to the same users have vectors pointing the same way.
 *
 * <p>The vectors are normalised once, stored item-major (items × hidden, off-heap), and one query is one product of
 * that matrix with the item's vector. Thread-safe: queries share reusable buffers under this object's lock.
 */
final class ItemSimilarity {
  private final IdIndex items;
  private final int hidden;
  private final Matrix vectors;
  private final Matrix query;
  private final Matrix scores;
  private final float[] row;

  ItemSimilarity(TrainedModel model) {
    this.items = model.items();
    NamedTensor weight = lastDecoderWeight(model);
    this.hidden = weight.rows();
    int count = weight.cols();
    this.vectors = Matrix.zeros(count, hidden);
    FloatBuffer w = weight.values();
    FloatBuffer v = vectors.buffer();
    for (int j = 0; j < count; j++) {
      double norm = 0;
      for (int h = 0; h < hidden; h++) {
        float x = w.get(h * count + j);
        norm += (double) x * x;
      }
      // an all-zero column has no direction: it stays zero and is similar to nothing (cosine 0)
      float scale = norm > 0 ? (float) (1.0 / Math.sqrt(norm)) : 0f;
      for (int h = 0; h < hidden; h++) {
        v.put(j * hidden + h, w.get(h * count + j) * scale);
      }
    }
    this.query = Matrix.zeros(1, hidden);
    this.scores = Matrix.zeros(1, count);
    this.row = new float[count];
  }

  /** The weight whose columns are the item vectors: the decoder's last layer (the tensors are in network order). */
  private static NamedTensor lastDecoderWeight(TrainedModel model) {
    List<NamedTensor> tensors = model.weights().tensors();
    for (int t = tensors.size() - 1; t >= 0; t--) {
      NamedTensor tensor = tensors.get(t);
      if (tensor.name().startsWith("decoder.") && tensor.name().endsWith(".weight")) {
        return tensor;
      }
    }
    throw new IllegalArgumentException("the model has no decoder weight");
  }

  /**
   * The {@code k} items most similar to column {@code item}, best first, the item itself left out; each score is the
   * cosine in [-1, 1].
   */
  synchronized List<ScoredItem> similar(int item, int k) {
    int count = row.length;
    FloatBuffer v = vectors.buffer();
    for (int h = 0; h < hidden; h++) {
      query.buffer().put(h, v.get(item * hidden + h));
    }
    Blas.gemm(false, true, 1f, query, vectors, 0f, scores);
    scores.buffer().get(0, row);
    int[] top = new int[Math.min(k, count - 1)];
    if (top.length == 0) {
      return List.of();
    }
    int n = new TopK(top.length).select(row, 0, count, new int[] {item}, 0, 1, top);
    ScoredItem[] result = new ScoredItem[n];
    for (int i = 0; i < n; i++) {
      result[i] = new ScoredItem(items.rawId(top[i]), row[top[i]]);
    }
    return List.of(result);
  }

  /** Gives the item vectors' direct memory back at once; no query may run afterwards. */
  synchronized void close() {
    vectors.close();
    query.close();
    scores.close();
  }
}
