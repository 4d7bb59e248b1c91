package org.vaecf.nn;

/**
 * Inverted dropout on the sparse input (the notebook's {@code tf.nn.dropout} after normalisation). With
 * {@code training == true} each entry is kept with probability {@code 1 − rate} and scaled by {@code 1 / (1 − rate)};
 * with {@code training == false} the input passes through unchanged (the same object is returned).
 */
public final class SparseDropout {
  private final float rate;
  private final Noise noise;
  private final SparseBatch output;
  private final RandomStream stream = new RandomStream(0);

  /**
   * @param rate probability of dropping an entry, in [0, 1)
   * @param maxBatch most rows a batch may have
   * @param noise source of the masks
   */
  public SparseDropout(float rate, int maxBatch, Noise noise) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
    this.noise = noise;
    this.output = new SparseBatch(maxBatch);
  }

  /** Applies dropout in training, nothing in prediction. */
  public SparseBatch forward(SparseBatch input, boolean training) {
    if (!training || rate == 0f) {
      return input;
    }
    float scale = 1f / (1f - rate);
    output.startRows(input.rows());
    output.ensureEntries(input.nnz());
    int kept = 0;
    for (int r = 0; r < input.rows(); r++) {
      RandomStream rowNoise = noise.stream(Noise.Purpose.INPUT_DROPOUT, r, stream);
      for (int k = input.rowStart(r); k < input.rowEnd(r); k++) {
        if (rowNoise.nextFloat() >= rate) {
          output.setEntry(kept++, input.column(k), input.value(k) * scale);
        }
      }
      output.endRow(r, kept);
    }
    return output;
  }

  /** The drop probability. */
  public float rate() {
    return rate;
  }
}
