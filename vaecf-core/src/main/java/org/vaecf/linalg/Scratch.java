package org.vaecf.linalg;

/**
 * Heap work arrays, one per parallel chunk, grown on demand and then reused: the kernels of {@link Kernels} work on
 * heap arrays, so off-heap rows are copied into these (they stay in cache) and back.
 */
public final class Scratch {
  private final float[][] arrays;

  /** Scratch for {@code chunks} parallel chunks. */
  public Scratch(int chunks) {
    arrays = new float[chunks][0];
  }

  /** Chunk {@code chunk}'s array, at least {@code length} long (contents unspecified). */
  public float[] get(int chunk, int length) {
    float[] array = arrays[chunk];
    if (array.length < length) {
      array = new float[length];
      arrays[chunk] = array;
    }
    return array;
  }
}
