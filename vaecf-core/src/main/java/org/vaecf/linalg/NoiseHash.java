package org.vaecf.linalg;

/**
 * The counter-based hash behind {@link Kernels#gaussian}: a Weyl sequence over the counter, keyed by 64 bits, through
 * MurmurHash3's 32-bit finaliser. Stateless, so every lane and every row can draw independently.
 */
final class NoiseHash {
  static final int WEYL = 0x9E3779B9;
  static final int MIX1 = 0x85EBCA6B;
  static final int MIX2 = 0xC2B2AE35;

  private NoiseHash() {}

  /** 32 well-mixed bits for {@code counter} under the key {@code (seedLo, seedHi)}. */
  static int hash(int seedLo, int seedHi, int counter) {
    int h = (counter * WEYL + seedLo) ^ seedHi;
    h = (h ^ (h >>> 16)) * MIX1;
    h = (h ^ (h >>> 13)) * MIX2;
    return h ^ (h >>> 16);
  }

  /** The bit pattern of 2²³ as a float. */
  static final int TWO_POW_23_BITS = 0x4B000000;

  /** A uniform float strictly inside (0, 1) from the top 23 bits. */
  static float uniform(int bits) {
    return ((bits >>> 9) + 0.5f) * 0x1.0p-23f;
  }
}
