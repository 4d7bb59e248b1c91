package org.vaecf.baseline;

/**
 * The floating-point width of EASE's item × item solve. Float64 is what the published NumPy code uses; float32 halves
 * the memory, which matters on catalogues of tens of thousands of items (20,108 items: 3.2 GB in float64).
 */
public enum Precision {
  /** Float64 when the matrix fits in a quarter of the JVM's memory limit, float32 otherwise. */
  AUTO,
  /** Always float32. */
  FLOAT32,
  /** Always float64. */
  FLOAT64;

  /** The concrete width for an {@code items × items} matrix under a memory limit of {@code maxBytes}. */
  Precision resolve(int items, long maxBytes) {
    if (this != AUTO) {
      return this;
    }
    long doubleBytes = (long) items * items * Double.BYTES;
    return doubleBytes <= maxBytes / 4 ? FLOAT64 : FLOAT32;
  }
}
