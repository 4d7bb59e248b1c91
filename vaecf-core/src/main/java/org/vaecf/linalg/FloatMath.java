package org.vaecf.linalg;

/**
 * exp, log, tanh and sin/cos for floats built from +, −, ×, ÷ and bit operations only, with a twin in
 * {@link VectorKernels} that performs the same operations in the same order on SIMD lanes. IEEE-754 rounds those
 * operations identically everywhere, so the two give bit-identical results, in the interpreter and after JIT
 * compilation alike. (The Vector API's own transcendental operations do not: their interpreted and compiled forms
 * differ in the last bits, which would make training depend on JIT timing.) Accuracy is a few ulp, ample for
 * softmax, activations and noise.
 */
final class FloatMath {
  static final float LOG2E = 1.44269504f;
  /** ln 2 split so that {@code n · LN2_HI} is exact for the n that occur (Cody–Waite reduction). */
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float LN2 = 0.6931472f;
  /** Adding and subtracting 1.5·2²³ rounds a float of magnitude below 2²² to the nearest integer. */
  static final float ROUND = 12582912f;
  /** The bit pattern of {@link #ROUND}: n + ROUND has the bits ROUND_BITS + n for integers |n| < 2²². */
  static final int ROUND_BITS = 0x4B400000;
  static final float EXP_MIN = -87.3f;
  static final float EXP_MAX = 88f;
  static final float SQRT2 = 1.4142135f;
  /** The bits of half the float after √2: the smallest m that log's range reduction leaves, m in (√2/2, √2]. */
  static final int LOG_BASE = Float.floatToRawIntBits(Math.nextUp(SQRT2)) - 0x00800000;
  /** The bits of 1 minus {@link #LOG_BASE}: added to a float's bits, it carries when the mantissa field exceeds √2's. */
  static final int LOG_SPLIT = 0x3F800000 - LOG_BASE;
  static final int MANTISSA_BITS = 0x007FFFFF;
  static final int SIGN_BIT = 0x80000000;
  static final float TWO_PI = 6.2831855f;

  private FloatMath() {}

  /** e^x, clamped to the normal range (so it never returns 0 or ∞). */
  static float exp(float x) {
    x = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    // every step one fused multiply-add, as the SIMD twin computes it (VectorMath.exp)
    float n = Math.fma(x, LOG2E, ROUND) - ROUND;
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    // Taylor series of e^r for |r| ≤ ln2/2: the degree-7 remainder is below 5e-9.
    float p = Math.fma(r, 1f / 5040, 1f / 720);
    p = Math.fma(p, r, 1f / 120);
    p = Math.fma(p, r, 1f / 24);
    p = Math.fma(p, r, 1f / 6);
    p = Math.fma(p, r, 0.5f);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    return p * Float.intBitsToFloat(((int) n + 127) << 23);
  }

  /** Natural logarithm of a positive normal float. */
  static float log(float x) {
    // x = 2^e·m with m in (√2/2, √2]: adding LOG_SPLIT to the bits carries into the exponent exactly when the
    // mantissa field is above √2's, and then the field plus LOG_BASE is m/2's bits (arithmetic on bits, which the
    // vector twin shares: no comparison and no mask)
    int bits = Float.floatToRawIntBits(x) + LOG_SPLIT;
    float e = (float) ((bits >>> 23) - 127);
    float m = Float.intBitsToFloat((bits & MANTISSA_BITS) + LOG_BASE);
    // log m = 2·atanh(s) with s = (m−1)/(m+1), |s| ≤ 0.172: five terms of the series leave < 1e-9.
    float s = (m - 1f) / (m + 1f);
    float s2 = s * s;
    float series = s2 * (1f / 9) + (1f / 7);
    series = series * s2 + (1f / 5);
    series = series * s2 + (1f / 3);
    series = series * s2 + 1f;
    return e * LN2 + 2f * s * series;
  }

  /**
   * tanh(x) = sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|): x's sign bit copied onto the quotient, which is at least +0
   * (so tanh(−0) = −0), as the vector twin does it without a mask.
   */
  static float tanh(float x) {
    float e = exp(-2f * Math.abs(x));
    float t = (1f - e) / (1f + e);
    return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & SIGN_BIT));
  }

  /** cos(2πu) for u in [0, 1]. */
  static float cosTurns(float u) {
    return turn(u, true);
  }

  /** sin(2πu) for u in [0, 1]. */
  static float sinTurns(float u) {
    return turn(u, false);
  }

  /** Reduce 2πu to [−π/4, π/4] by quarter turns, evaluate both series, rotate back by the quadrant. */
  private static float turn(float u, boolean wantCos) {
    float q = (u * 4f + ROUND) - ROUND;
    float a = (u - q * 0.25f) * TWO_PI;
    float a2 = a * a;
    float sin = a2 * (1f / 362880) - (1f / 5040);
    sin = sin * a2 + (1f / 120);
    sin = sin * a2 - (1f / 6);
    sin = (sin * a2 + 1f) * a;
    float cos = a2 * (1f / 3628800) + (-1f / 40320);
    cos = cos * a2 + (1f / 720);
    cos = cos * a2 - (1f / 24);
    cos = cos * a2 + 0.5f;
    cos = 1f - cos * a2;
    // rotate by q quarter turns: cos(qπ/2) and sin(qπ/2) as exact polynomials in d = q − 2 (the SIMD twin has no
    // per-lane switch, and its blends by masks were sometimes compiled as allocating calls)
    float d = q - 2f;
    float d2 = d * d;
    float quarterCos = (7f * d2 - d2 * d2) / 6f - 1f;
    float quarterSin = (d * d2 - 4f * d) / 3f;
    return wantCos ? cos * quarterCos - sin * quarterSin : sin * quarterCos + cos * quarterSin;
  }
}
