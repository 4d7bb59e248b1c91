package org.vaecf.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise math for {@link VectorKernels}: the twins of {@link FloatMath}'s exp, log and tanh, the noise hash and the
 * Box–Muller turn, on whole vectors. These are meant to be inlined into the kernels that call them; the kernels
 * themselves are best compiled each on its own (see {@link VectorKernels}), which is why the two live apart.
 *
 * <p>A vector made by {@code reinterpretAsInts} or {@code reinterpretAsFloats} is of a class that C2 does not know
 * exactly, so, like the loop-carried vectors of the kernels, it is only ever an argument: a constant is the receiver
 * ({@code MINUS_EXP_BIAS.add(bits)} for {@code bits − EXP_BIAS}, {@code MINUS_ROUND.add(e)} for {@code e − ROUND}).
 * A call on such a vector is inlined only from a type profile, and a run of {@code -XX:+PrintInlining} found
 * {@code exp}'s subtraction of the bias compiled as a virtual call, which boxes every vector (17 MB per training
 * step). The values are the same: integer addition wraps and commutes, and {@code x − c} is {@code −c + x} in IEEE
 * arithmetic.
 */
final class VectorMath {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Integer> INT_SPECIES = VectorSpecies.of(int.class, SPECIES.vectorShape());
  // Integer operands as vectors: JDK 17 does not intrinsify integer ops with a scalar operand (shift counts included)
  // and boxes every vector they touch, so every integer constant is broadcast once here.
  private static final IntVector EXP_BIAS = IntVector.broadcast(INT_SPECIES, FloatMath.ROUND_BITS - 127);
  private static final IntVector MINUS_EXP_BIAS = IntVector.broadcast(INT_SPECIES, -(FloatMath.ROUND_BITS - 127));
  private static final IntVector SHIFT_23 = IntVector.broadcast(INT_SPECIES, 23);
  private static final IntVector SHIFT_16 = IntVector.broadcast(INT_SPECIES, 16);
  private static final IntVector SHIFT_13 = IntVector.broadcast(INT_SPECIES, 13);
  private static final IntVector SHIFT_9 = IntVector.broadcast(INT_SPECIES, 9);
  private static final IntVector MANTISSA = IntVector.broadcast(INT_SPECIES, FloatMath.MANTISSA_BITS);
  private static final IntVector LOG_SPLIT = IntVector.broadcast(INT_SPECIES, FloatMath.LOG_SPLIT);
  private static final IntVector LOG_BASE = IntVector.broadcast(INT_SPECIES, FloatMath.LOG_BASE);
  private static final IntVector SIGN_BIT = IntVector.broadcast(INT_SPECIES, FloatMath.SIGN_BIT);
  private static final IntVector TWO_POW_23 = IntVector.broadcast(INT_SPECIES, NoiseHash.TWO_POW_23_BITS);
  private static final IntVector WEYL = IntVector.broadcast(INT_SPECIES, NoiseHash.WEYL);
  private static final IntVector MIX1 = IntVector.broadcast(INT_SPECIES, NoiseHash.MIX1);
  private static final IntVector MIX2 = IntVector.broadcast(INT_SPECIES, NoiseHash.MIX2);
  private static final int LANES = SPECIES.length();
  private static final FloatVector EXP_MIN = FloatVector.broadcast(SPECIES, FloatMath.EXP_MIN);
  private static final FloatVector EXP_MAX = FloatVector.broadcast(SPECIES, FloatMath.EXP_MAX);
  private static final FloatVector LOG2E = FloatVector.broadcast(SPECIES, FloatMath.LOG2E);
  private static final FloatVector ROUND = FloatVector.broadcast(SPECIES, FloatMath.ROUND);
  private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(SPECIES, -FloatMath.LN2_HI);
  private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(SPECIES, -FloatMath.LN2_LO);
  private static final FloatVector C7 = FloatVector.broadcast(SPECIES, 1f / 5040);
  private static final FloatVector C6 = FloatVector.broadcast(SPECIES, 1f / 720);
  private static final FloatVector C5 = FloatVector.broadcast(SPECIES, 1f / 120);
  private static final FloatVector C4 = FloatVector.broadcast(SPECIES, 1f / 24);
  private static final FloatVector C3 = FloatVector.broadcast(SPECIES, 1f / 6);
  private static final FloatVector C2 = FloatVector.broadcast(SPECIES, 0.5f);
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
  private static final FloatVector MINUS_ONE = FloatVector.broadcast(SPECIES, -1f);
  private static final FloatVector MINUS_ROUND = FloatVector.broadcast(SPECIES, -FloatMath.ROUND);
  private static final FloatVector MINUS_TWO_POW_23 = FloatVector.broadcast(SPECIES, -0x1.0p23f);
  // scalars of tanh and of the Box–Muller turn, as vectors: fewer nodes for C2 (see sinCosOfReduced)
  private static final FloatVector HALF = C2;
  private static final FloatVector MINUS_TWO = FloatVector.broadcast(SPECIES, -2f);
  private static final FloatVector QUARTER = FloatVector.broadcast(SPECIES, 0.25f);
  private static final FloatVector TWO = FloatVector.broadcast(SPECIES, 2f);
  private static final FloatVector THREE = FloatVector.broadcast(SPECIES, 3f);
  private static final FloatVector FOUR = FloatVector.broadcast(SPECIES, 4f);
  private static final FloatVector SIX = FloatVector.broadcast(SPECIES, 6f);
  private static final FloatVector SEVEN = FloatVector.broadcast(SPECIES, 7f);
  private static final FloatVector TWO_PI = FloatVector.broadcast(SPECIES, FloatMath.TWO_PI);
  private static final FloatVector SIN9 = FloatVector.broadcast(SPECIES, 1f / 362880);
  private static final FloatVector COS10 = FloatVector.broadcast(SPECIES, 1f / 3628800);
  private static final FloatVector MINUS_COS8 = FloatVector.broadcast(SPECIES, -1f / 40320);

  private VectorMath() {}

  /** The twin of {@link FloatMath#exp} on every lane. */
  static FloatVector exp(FloatVector v) {
    return expOfClamped(v.max(EXP_MIN).min(EXP_MAX));
  }

  /**
   * {@link #exp} of lanes known to be at most 0 (or NaN), as a value minus its row's maximum is: the same bits without
   * the upper clamp, which cannot change such a lane. The likelihood's pass computes ten million of these per step at
   * ML-20M's shape, where each vector operation saved counts.
   */
  static FloatVector expOfNonPositive(FloatVector v) {
    return expOfClamped(v.max(EXP_MIN));
  }

  /** {@link #exp} of lanes already clamped to {@code [EXP_MIN, EXP_MAX]}. */
  private static FloatVector expOfClamped(FloatVector x) {
    // one fused multiply-add per step of the reduction and of Horner's scheme, constants broadcast once (as static
    // vectors): 0.54 → 0.37 ns per entry in the likelihood's pass
    FloatVector rounded = x.fma(LOG2E, ROUND); // an integer n plus ROUND, exactly: its bits are ROUND's bits plus n
    FloatVector n = rounded.sub(ROUND);
    FloatVector r = n.fma(MINUS_LN2_HI, x);
    r = n.fma(MINUS_LN2_LO, r);
    FloatVector p = r.fma(C7, C6);
    p = p.fma(r, C5);
    p = p.fma(r, C4);
    p = p.fma(r, C3);
    p = p.fma(r, C2);
    p = p.fma(r, ONE);
    p = p.fma(r, ONE);
    // 2^n from the rounding trick (no float→int conversion, which JDK 17's compiler does not intrinsify and would box
    // every vector); the bits of n + ROUND are those of the rounded value itself, so no addition is needed for them
    // (a reinterpreted vector's class is not known exactly to C2: it is only ever an argument, see the class comment)
    IntVector bits = MINUS_EXP_BIAS.add(rounded.reinterpretAsInts()).lanewise(VectorOperators.LSHL, SHIFT_23);
    return p.mul(bits.reinterpretAsFloats());
  }

  /** The twin of {@link FloatMath#log} on every lane. */
  static FloatVector log(FloatVector x) {
    // the range reduction on the bits, as in the scalar twin: a comparison and blends by its mask were, like the
    // Box–Muller turn's, an opening for C2 to leave vector operations as allocating calls
    IntVector bits = LOG_SPLIT.add(x.reinterpretAsInts());
    // the exponent as a float by the rounding trick in reverse (again avoiding a conversion)
    FloatVector e =
        MINUS_ROUND.add(bits.lanewise(VectorOperators.LSHR, SHIFT_23).add(EXP_BIAS).reinterpretAsFloats());
    FloatVector m = bits.and(MANTISSA).add(LOG_BASE).reinterpretAsFloats();
    FloatVector s = MINUS_ONE.add(m).div(ONE.add(m));
    FloatVector s2 = s.mul(s);
    FloatVector series = s2.mul(1f / 9).add(1f / 7);
    series = series.mul(s2).add(1f / 5);
    series = series.mul(s2).add(1f / 3);
    series = series.mul(s2).add(1f);
    return e.mul(FloatMath.LN2).add(s.mul(2f).mul(series));
  }

  /** The twin of {@link FloatMath#tanh} on every lane. */
  static FloatVector tanh(FloatVector x) {
    FloatVector e = exp(x.abs().mul(MINUS_TWO));
    FloatVector t = ONE.sub(e).div(e.add(ONE));
    // x's sign bit onto t (t ≥ +0), as in the scalar twin: no comparison and no blend (see log); the product by one
    // gives the caller a vector whose class C2 knows exactly (see the class comment), the same bits
    return ONE.mul(SIGN_BIT.and(x.reinterpretAsInts()).or(t.reinterpretAsInts()).reinterpretAsFloats());
  }

  /**
   * The sum of a vector's lanes in lane order (reduceLanes(ADD) leaves the order open, which breaks reproducibility),
   * from the lanes stored by the kernel itself: a vector passed to a helper that C2 leaves as a call is boxed, and its
   * store then ran through the Vector API's Java fallback, interpreted (seen in a flight recording of training: a
   * tenth of the Java samples of a step under FloatVector.intoArray from the softmax kernel).
   */
  static double sumInOrder(float[] lanes) {
    double sum = 0;
    for (float lane : lanes) {
      sum += lane;
    }
    return sum;
  }

  /**
   * The first half of the Box–Muller turn, computed as {@link FloatMath#cosTurns} and {@link FloatMath#sinTurns} do:
   * reads a vector of uniforms u at {@code uAt} in {@code out}, reduces 2πu to an angle a in [−π/4, π/4] and its
   * quadrant q (0 … 4), and writes sin(a) over u, cos(a) at {@code cosAt} and q at {@code quarterAt} in
   * {@code sinCos}. {@link #rotate} finishes the turn.
   *
   * <p>The turn is two methods, each inlined into a pass of its own, because in one method (44 vector operations)
   * C2 sometimes reached its node budget for inlining before the last few operations and left them as calls that box
   * every vector they take and return: {@code -XX:+PrintInlining} of such runs, one in five, lacked the method's last
   * five operations, and a flight recording put 0.7–0.9 MB of allocations per training step on its last lines.
   * Every operand is a vector (a scalar operand costs a broadcast's nodes too), and the methods read their inputs
   * from arrays rather than taking vectors, so that even compiled on their own they know the vectors' exact class.
   */
  static void sinCosOfReduced(float[] out, int uAt, float[] sinCos, int cosAt, int quarterAt) {
    FloatVector u = FloatVector.fromArray(SPECIES, out, uAt);
    FloatVector q = u.mul(FOUR).add(ROUND).sub(ROUND);
    FloatVector a = u.sub(q.mul(QUARTER)).mul(TWO_PI);
    FloatVector a2 = a.mul(a);
    FloatVector sin = a2.mul(SIN9).sub(C7);
    sin = sin.mul(a2).add(C5);
    sin = sin.mul(a2).sub(C3);
    sin.mul(a2).add(ONE).mul(a).intoArray(out, uAt);
    FloatVector cos = a2.mul(COS10).add(MINUS_COS8);
    cos = cos.mul(a2).add(C6);
    cos = cos.mul(a2).sub(C4);
    cos = cos.mul(a2).add(HALF);
    ONE.sub(cos.mul(a2)).intoArray(sinCos, cosAt);
    q.intoArray(sinCos, quarterAt);
  }

  /**
   * The second half of the Box–Muller turn ({@link #sinCosOfReduced} the first): reads radii at {@code radiusAt} and
   * sin(a) at {@code sinAt} in {@code out}, cos(a) at {@code cosAt} and the quadrant q at {@code quarterAt} in
   * {@code sinCos}, and writes {@code radius·cos(2πu)} at {@code radiusAt} and {@code radius·sin(2πu)} at
   * {@code sinAt}.
   */
  static void rotate(float[] out, int radiusAt, int sinAt, float[] sinCos, int cosAt, int quarterAt) {
    FloatVector radius = FloatVector.fromArray(SPECIES, out, radiusAt);
    FloatVector sin = FloatVector.fromArray(SPECIES, out, sinAt);
    FloatVector cos = FloatVector.fromArray(SPECIES, sinCos, cosAt);
    // q is 0..4 as a float; 4 is a full turn, like 0. The rotation by q quarter turns is arithmetic, as in the scalar
    // twin: with blends by masks (compare, blend) C2 sometimes left the blends as calls that box their vectors (a
    // flight recording of a training run: 1.8 MB per step from the turn)
    FloatVector d = FloatVector.fromArray(SPECIES, sinCos, quarterAt).sub(TWO);
    FloatVector d2 = d.mul(d);
    FloatVector quarterCos = d2.mul(SEVEN).sub(d2.mul(d2)).div(SIX).sub(ONE);
    FloatVector quarterSin = d.mul(d2).sub(d.mul(FOUR)).div(THREE);
    radius.mul(cos.mul(quarterCos).sub(sin.mul(quarterSin))).intoArray(out, radiusAt);
    radius.mul(sin.mul(quarterCos).add(cos.mul(quarterSin))).intoArray(out, sinAt);
  }

  /** {@link NoiseHash#hash} on every lane. */
  static IntVector hash(IntVector counter, IntVector seedLo, IntVector seedHi) {
    IntVector h = counter.mul(WEYL).add(seedLo).lanewise(VectorOperators.XOR, seedHi);
    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, SHIFT_16)).mul(MIX1);
    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, SHIFT_13)).mul(MIX2);
    return h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, SHIFT_16));
  }

  /** {@link NoiseHash#uniform} on every lane: 23 bits placed in the mantissa of 2²³, minus 2²³, as a float. */
  static FloatVector uniform(IntVector bits) {
    FloatVector top =
        MINUS_TWO_POW_23.add(bits.lanewise(VectorOperators.LSHR, SHIFT_9).or(TWO_POW_23).reinterpretAsFloats());
    return top.add(0.5f).mul(0x1.0p-23f);
  }
}
