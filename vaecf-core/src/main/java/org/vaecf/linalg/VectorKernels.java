package org.vaecf.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over the JDK Vector API (incubating; needs {@code --add-modules jdk.incubator.vector}). Loaded only
 * through {@link Kernels#best()}, which checks that the module is present. Tails shorter than a vector run the
 * scalar code of {@link ScalarKernels}.
 */
final class VectorKernels implements Kernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INT_SPECIES = VectorSpecies.of(int.class, SPECIES.vectorShape());
  // Integer operands as vectors: JDK 17 does not intrinsify integer ops with a scalar operand (shift counts included)
  // and boxes every vector they touch, so every integer constant is broadcast once here.
  private static final IntVector EXP_BIAS = IntVector.broadcast(INT_SPECIES, FloatMath.ROUND_BITS - 127);
  private static final IntVector SHIFT_23 = IntVector.broadcast(INT_SPECIES, 23);
  private static final IntVector SHIFT_16 = IntVector.broadcast(INT_SPECIES, 16);
  private static final IntVector SHIFT_13 = IntVector.broadcast(INT_SPECIES, 13);
  private static final IntVector SHIFT_9 = IntVector.broadcast(INT_SPECIES, 9);
  private static final IntVector MANTISSA = IntVector.broadcast(INT_SPECIES, 0x007FFFFF);
  private static final IntVector ONE_BITS = IntVector.broadcast(INT_SPECIES, 0x3F800000);
  private static final IntVector TWO_POW_23 = IntVector.broadcast(INT_SPECIES, NoiseHash.TWO_POW_23_BITS);
  private static final IntVector WEYL = IntVector.broadcast(INT_SPECIES, NoiseHash.WEYL);
  private static final IntVector MIX1 = IntVector.broadcast(INT_SPECIES, NoiseHash.MIX1);
  private static final IntVector MIX2 = IntVector.broadcast(INT_SPECIES, NoiseHash.MIX2);
  private static final IntVector TWO = IntVector.broadcast(INT_SPECIES, 2);
  private static final IntVector ONE = IntVector.broadcast(INT_SPECIES, 1);
  private static final IntVector LANE_INDEX = IntVector.zero(INT_SPECIES).addIndex(1);
  private static final int LANES = SPECIES.length();
  private final ScalarKernels tail = new ScalarKernels();

  /** The twin of {@link FloatMath#exp} on every lane. */
  static FloatVector exp(FloatVector v) {
    FloatVector x = v.max(FloatMath.EXP_MIN).min(FloatMath.EXP_MAX);
    FloatVector n = x.mul(FloatMath.LOG2E).add(FloatMath.ROUND).sub(FloatMath.ROUND);
    FloatVector r = x.sub(n.mul(FloatMath.LN2_HI)).sub(n.mul(FloatMath.LN2_LO));
    FloatVector p = r.mul(1f / 5040).add(1f / 720);
    p = p.mul(r).add(1f / 120);
    p = p.mul(r).add(1f / 24);
    p = p.mul(r).add(1f / 6);
    p = p.mul(r).add(0.5f);
    p = p.mul(r).add(1f);
    p = p.mul(r).add(1f);
    // 2^n from the rounding trick: the bits of n + ROUND are ROUND's bits plus n (no float→int conversion, which
    // JDK 17's compiler does not intrinsify and would box every vector)
    IntVector bits = n.add(FloatMath.ROUND).reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, SHIFT_23);
    return p.mul(bits.reinterpretAsFloats());
  }

  /** The twin of {@link FloatMath#log} on every lane. */
  static FloatVector log(FloatVector x) {
    IntVector bits = x.reinterpretAsInts();
    // the exponent as a float by the rounding trick in reverse (again avoiding a conversion)
    FloatVector e =
        bits.lanewise(VectorOperators.LSHR, SHIFT_23).add(EXP_BIAS).reinterpretAsFloats()
            .sub(FloatMath.ROUND);
    FloatVector m = bits.and(MANTISSA).or(ONE_BITS).reinterpretAsFloats();
    VectorMask<Float> large = m.compare(VectorOperators.GT, FloatMath.SQRT2);
    m = m.blend(m.mul(0.5f), large);
    e = e.blend(e.add(1f), large);
    FloatVector s = m.sub(1f).div(m.add(1f));
    FloatVector s2 = s.mul(s);
    FloatVector series = s2.mul(1f / 9).add(1f / 7);
    series = series.mul(s2).add(1f / 5);
    series = series.mul(s2).add(1f / 3);
    series = series.mul(s2).add(1f);
    return e.mul(FloatMath.LN2).add(s.mul(2f).mul(series));
  }

  /** The twin of {@link FloatMath#tanh} on every lane. */
  static FloatVector tanh(FloatVector x) {
    FloatVector e = exp(x.abs().mul(-2f));
    FloatVector t = FloatVector.broadcast(x.species(), 1f).sub(e).div(e.add(1f));
    return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
  }

  /** A sum of the lanes in lane order (reduceLanes(ADD) leaves the order open, which breaks reproducibility). */
  private static double sumLanes(FloatVector v) {
    // Stored and summed from an array: reading lanes by index is not intrinsified on JDK 17 and would box.
    float[] lanes = LANE_SCRATCH.get();
    v.intoArray(lanes, 0);
    double sum = 0;
    for (int lane = 0; lane < LANES; lane++) {
      sum += lanes[lane];
    }
    return sum;
  }

  private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

  @Override
  public float max(float[] a, int from, int to) {
    int i = from;
    FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    for (; i <= to - LANES; i += LANES) {
      max = max.max(FloatVector.fromArray(SPECIES, a, i));
    }
    return Math.max(max.reduceLanes(VectorOperators.MAX), tail.max(a, i, to));
  }

  @Override
  public int indexesAbove(float[] a, int from, int to, float threshold, int[] out) {
    int i = from;
    int count = 0;
    FloatVector thresholdV = FloatVector.broadcast(SPECIES, threshold);
    for (; i <= to - LANES; i += LANES) {
      // a whole vector at or below the threshold (the usual case) costs one compare and one test
      if (FloatVector.fromArray(SPECIES, a, i).compare(VectorOperators.GT, thresholdV).anyTrue()) {
        count = tail.appendIndexesAbove(a, i, i + LANES, threshold, out, count);
      }
    }
    return tail.appendIndexesAbove(a, i, to, threshold, out, count);
  }

  @Override
  public double expShiftSum(float[] a, float[] out, int from, int to, float shift) {
    int i = from;
    FloatVector shiftV = FloatVector.broadcast(SPECIES, shift);
    FloatVector sum = FloatVector.zero(SPECIES);
    for (; i <= to - LANES; i += LANES) {
      FloatVector e = exp(FloatVector.fromArray(SPECIES, a, i).sub(shiftV));
      e.intoArray(out, i);
      sum = sum.add(e);
    }
    return sumLanes(sum) + tail.expShiftSum(a, out, i, to, shift);
  }

  @Override
  public double sumExpShift(float[] a, int from, int to, float shift) {
    int i = from;
    FloatVector shiftV = FloatVector.broadcast(SPECIES, shift);
    FloatVector sum = FloatVector.zero(SPECIES);
    for (; i <= to - LANES; i += LANES) {
      sum = sum.add(exp(FloatVector.fromArray(SPECIES, a, i).sub(shiftV)));
    }
    return sumLanes(sum) + tail.sumExpShift(a, i, to, shift);
  }

  @Override
  public void scale(float[] a, int from, int to, float factor) {
    int i = from;
    for (; i <= to - LANES; i += LANES) {
      FloatVector.fromArray(SPECIES, a, i).mul(factor).intoArray(a, i);
    }
    tail.scale(a, i, to, factor);
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
    int i = 0;
    for (; i <= n - LANES; i += LANES) {
      FloatVector.fromArray(SPECIES, x, xOff + i)
          .mul(alpha)
          .add(FloatVector.fromArray(SPECIES, y, yOff + i))
          .intoArray(y, yOff + i);
    }
    tail.axpy(alpha, x, xOff + i, y, yOff + i, n - i);
  }

  @Override
  public void tanh(float[] in, float[] out, int off, int n) {
    int i = off;
    int end = off + n;
    for (; i <= end - LANES; i += LANES) {
      tanh(FloatVector.fromArray(SPECIES, in, i)).intoArray(out, i);
    }
    for (; i < end; i++) {
      out[i] = FloatMath.tanh(in[i]);
    }
  }

  @Override
  public void tanhBackward(float[] y, float[] dy, float[] dx, int off, int n) {
    int i = off;
    int end = off + n;
    FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    for (; i <= end - LANES; i += LANES) {
      FloatVector yv = FloatVector.fromArray(SPECIES, y, i);
      FloatVector.fromArray(SPECIES, dy, i).mul(one.sub(yv.mul(yv))).intoArray(dx, i);
    }
    for (; i < end; i++) {
      dx[i] = dy[i] * (1f - y[i] * y[i]);
    }
  }

  @Override
  public void adam(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize) {
    int i = 0;
    FloatVector b1 = FloatVector.broadcast(SPECIES, c.beta1());
    FloatVector b2 = FloatVector.broadcast(SPECIES, c.beta2());
    FloatVector a1 = FloatVector.broadcast(SPECIES, c.oneMinusBeta1());
    FloatVector a2 = FloatVector.broadcast(SPECIES, c.oneMinusBeta2());
    FloatVector decay = FloatVector.broadcast(SPECIES, c.decay());
    FloatVector eps = FloatVector.broadcast(SPECIES, c.epsilon());
    FloatVector lr = FloatVector.broadcast(SPECIES, stepSize);
    for (; i <= n - LANES; i += LANES) {
      FloatVector value = FloatVector.fromArray(SPECIES, theta, tOff + i);
      FloatVector g = FloatVector.fromArray(SPECIES, grad, gOff + i).add(decay.mul(value));
      FloatVector mi = b1.mul(FloatVector.fromArray(SPECIES, m, mOff + i)).add(a1.mul(g));
      FloatVector vi = b2.mul(FloatVector.fromArray(SPECIES, v, mOff + i)).add(a2.mul(g.mul(g)));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, mOff + i);
      value.sub(lr.mul(mi).div(vi.sqrt().add(eps))).intoArray(theta, tOff + i);
    }
    tail.adam(theta, tOff + i, grad, gOff + i, m, v, mOff + i, n - i, c, stepSize);
  }

  @Override
  public void adamRepeat(float[] theta, int tOff, float[] m, float[] v, int mOff, int n, AdamCoefficients c,
      float[] stepSizes, int from, int to) {
    int i = 0;
    FloatVector b1 = FloatVector.broadcast(SPECIES, c.beta1());
    FloatVector b2 = FloatVector.broadcast(SPECIES, c.beta2());
    FloatVector a1 = FloatVector.broadcast(SPECIES, c.oneMinusBeta1());
    FloatVector a2 = FloatVector.broadcast(SPECIES, c.oneMinusBeta2());
    FloatVector decay = FloatVector.broadcast(SPECIES, c.decay());
    FloatVector eps = FloatVector.broadcast(SPECIES, c.epsilon());
    FloatVector zero = FloatVector.zero(SPECIES);
    for (; i <= n - LANES; i += LANES) {
      FloatVector value = FloatVector.fromArray(SPECIES, theta, tOff + i);
      FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i);
      FloatVector vi = FloatVector.fromArray(SPECIES, v, mOff + i);
      for (int s = from; s < to; s++) {
        FloatVector g = zero.add(decay.mul(value));
        mi = b1.mul(mi).add(a1.mul(g));
        vi = b2.mul(vi).add(a2.mul(g.mul(g)));
        value = value.sub(FloatVector.broadcast(SPECIES, stepSizes[s]).mul(mi).div(vi.sqrt().add(eps)));
      }
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, mOff + i);
      value.intoArray(theta, tOff + i);
    }
    tail.adamRepeat(theta, tOff + i, m, v, mOff + i, n - i, c, stepSizes, from, to);
  }

  @Override
  public void gaussian(long key, float[] out, int off, int n) {
    int seedLo = (int) key;
    int seedHi = (int) (key >>> 32);
    int half = (n + 1) / 2;
    int pairs = n / 2 - (n / 2) % LANES; // pairs done with vectors; the rest by the scalar twin
    // Three passes, each its own method: C2 stops inlining within one method past a node budget, and a vector helper
    // left as a call boxes every vector it takes or returns (the three passes in one method did: 3.4 kB of garbage
    // per row and up to 6 ms per training step instead of 0.3). Between the passes only arrays cross.
    uniformPairs(seedLo, seedHi, out, off, half, pairs);
    radii(out, off, pairs);
    turns(out, off, half, pairs);
    tail.gaussianPairs(seedLo, seedHi, out, off, n, pairs);
  }

  /** Box–Muller's two uniforms of each pair: the first at {@code off + p}, the second at {@code off + half + p}. */
  private static void uniformPairs(int seedLo, int seedHi, float[] out, int off, int half, int pairs) {
    IntVector lo = IntVector.broadcast(INT_SPECIES, seedLo);
    IntVector hi = IntVector.broadcast(INT_SPECIES, seedHi);
    for (int p = 0; p < pairs; p += LANES) {
      IntVector twice = LANE_INDEX.add(IntVector.broadcast(INT_SPECIES, p)).mul(TWO);
      uniform(hash(twice, lo, hi)).intoArray(out, off + p);
      uniform(hash(twice.add(ONE), lo, hi)).intoArray(out, off + p + half);
    }
  }

  /** Replaces each first uniform u by the radius √(−2 ln u). */
  private static void radii(float[] out, int off, int pairs) {
    for (int p = 0; p < pairs; p += LANES) {
      log(FloatVector.fromArray(SPECIES, out, off + p)).mul(-2f).sqrt().intoArray(out, off + p);
    }
  }

  /** Turns each (radius, second uniform) pair into the two normal deviates. */
  private static void turns(float[] out, int off, int half, int pairs) {
    for (int p = 0; p < pairs; p += LANES) {
      turn(FloatVector.fromArray(SPECIES, out, off + p), FloatVector.fromArray(SPECIES, out, off + p + half), out,
          off + p, off + p + half);
    }
  }

  /**
   * Writes {@code radius·cos(2πu)} at {@code cosAt} and {@code radius·sin(2πu)} at {@code sinAt}, computing cos and
   * sin as {@link FloatMath#cosTurns} and {@link FloatMath#sinTurns} do: reduce to [−π/4, π/4], series, rotate by the quadrant.
   */
  private static void turn(FloatVector radius, FloatVector u, float[] out, int cosAt, int sinAt) {
    FloatVector q = u.mul(4f).add(FloatMath.ROUND).sub(FloatMath.ROUND);
    FloatVector a = u.sub(q.mul(0.25f)).mul(FloatMath.TWO_PI);
    FloatVector a2 = a.mul(a);
    FloatVector sin = a2.mul(1f / 362880).sub(1f / 5040);
    sin = sin.mul(a2).add(1f / 120);
    sin = sin.mul(a2).sub(1f / 6);
    sin = sin.mul(a2).add(1f).mul(a);
    FloatVector cos = a2.mul(1f / 3628800).add(-1f / 40320);
    cos = cos.mul(a2).add(1f / 720);
    cos = cos.mul(a2).sub(1f / 24);
    cos = cos.mul(a2).add(0.5f);
    cos = FloatVector.broadcast(SPECIES, 1f).sub(cos.mul(a2));
    // q is 0..4 as a float; 4 is a full turn, like 0
    VectorMask<Float> q1 = q.compare(VectorOperators.EQ, 1f);
    VectorMask<Float> q2 = q.compare(VectorOperators.EQ, 2f);
    VectorMask<Float> q3 = q.compare(VectorOperators.EQ, 3f);
    radius.mul(cos.blend(sin.neg(), q1).blend(cos.neg(), q2).blend(sin, q3)).intoArray(out, cosAt);
    radius.mul(sin.blend(cos, q1).blend(sin.neg(), q2).blend(cos.neg(), q3)).intoArray(out, sinAt);
  }

  /** {@link NoiseHash#hash} on every lane. */
  private static IntVector hash(IntVector counter, IntVector seedLo, IntVector seedHi) {
    IntVector h = counter.mul(WEYL).add(seedLo).lanewise(VectorOperators.XOR, seedHi);
    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, SHIFT_16)).mul(MIX1);
    h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, SHIFT_13)).mul(MIX2);
    return h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, SHIFT_16));
  }

  /** {@link NoiseHash#uniform} on every lane: 23 bits placed in the mantissa of 2²³, minus 2²³, as a float. */
  private static FloatVector uniform(IntVector bits) {
    FloatVector top =
        bits.lanewise(VectorOperators.LSHR, SHIFT_9).or(TWO_POW_23).reinterpretAsFloats().sub(0x1.0p23f);
    return top.add(0.5f).mul(0x1.0p-23f);
  }

  @Override
  public void reparameterize(float[] muLogVar, int off, float[] eps, int eOff, float[] sigma, int sOff, float[] z,
      int zOff, int d) {
    int j = 0;
    for (; j <= d - LANES; j += LANES) {
      FloatVector s = exp(FloatVector.fromArray(SPECIES, muLogVar, off + d + j).mul(0.5f));
      s.intoArray(sigma, sOff + j);
      FloatVector.fromArray(SPECIES, muLogVar, off + j)
          .add(FloatVector.fromArray(SPECIES, eps, eOff + j).mul(s))
          .intoArray(z, zOff + j);
    }
    for (; j < d; j++) {
      float s = FloatMath.exp(0.5f * muLogVar[off + d + j]);
      sigma[sOff + j] = s;
      z[zOff + j] = muLogVar[off + j] + eps[eOff + j] * s;
    }
  }

  @Override
  public void reparameterizeBackward(float[] dz, int zOff, float[] eps, int eOff, float[] sigma, int sOff,
      float[] grad, int off, int d) {
    int j = 0;
    for (; j <= d - LANES; j += LANES) {
      FloatVector g = FloatVector.fromArray(SPECIES, dz, zOff + j);
      g.intoArray(grad, off + j);
      g.mul(FloatVector.fromArray(SPECIES, eps, eOff + j))
          .mul(FloatVector.fromArray(SPECIES, sigma, sOff + j).mul(0.5f))
          .intoArray(grad, off + d + j);
    }
    for (; j < d; j++) {
      float g = dz[zOff + j];
      grad[off + j] = g;
      grad[off + d + j] = g * eps[eOff + j] * (0.5f * sigma[sOff + j]);
    }
  }

  @Override
  public double gaussianKl(float[] muLogVar, int off, int d) {
    int j = 0;
    FloatVector sum = FloatVector.zero(SPECIES);
    for (; j <= d - LANES; j += LANES) {
      FloatVector mu = FloatVector.fromArray(SPECIES, muLogVar, off + j);
      FloatVector logVar = FloatVector.fromArray(SPECIES, muLogVar, off + d + j);
      sum = sum.add(logVar.neg().add(exp(logVar)).add(mu.mul(mu)).sub(1f).mul(0.5f));
    }
    double total = sumLanes(sum);
    for (; j < d; j++) {
      float mu = muLogVar[off + j];
      float logVar = muLogVar[off + d + j];
      total += 0.5f * (-logVar + FloatMath.exp(logVar) + mu * mu - 1f);
    }
    return total;
  }

  @Override
  public void addGaussianKlGradient(float[] muLogVar, int off, float[] grad, int d, float scale) {
    int j = 0;
    for (; j <= d - LANES; j += LANES) {
      FloatVector mu = FloatVector.fromArray(SPECIES, muLogVar, off + j);
      FloatVector.fromArray(SPECIES, grad, off + j).add(mu.mul(scale)).intoArray(grad, off + j);
      FloatVector e = exp(FloatVector.fromArray(SPECIES, muLogVar, off + d + j));
      FloatVector.fromArray(SPECIES, grad, off + d + j).add(e.sub(1f).mul(0.5f).mul(scale))
          .intoArray(grad, off + d + j);
    }
    for (; j < d; j++) {
      grad[off + j] += scale * muLogVar[off + j];
      grad[off + d + j] += scale * (0.5f * (FloatMath.exp(muLogVar[off + d + j]) - 1f));
    }
  }

  @Override
  public boolean vectorized() {
    return true;
  }
}
