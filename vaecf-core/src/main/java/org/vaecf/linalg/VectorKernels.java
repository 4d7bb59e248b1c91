package org.vaecf.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over the JDK Vector API (incubating; needs {@code --add-modules jdk.incubator.vector}). Loaded only
 * through {@link Kernels#best()}, which checks that the module is present. Tails shorter than a vector run the
 * scalar code of {@link ScalarKernels}.
 */
final class VectorKernels implements Kernels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private final ScalarKernels tail = new ScalarKernels();

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
  public double expShiftSum(float[] a, float[] out, int from, int to, float shift) {
    int i = from;
    FloatVector shiftV = FloatVector.broadcast(SPECIES, shift);
    FloatVector sum = FloatVector.zero(SPECIES);
    for (; i <= to - LANES; i += LANES) {
      FloatVector e = FloatVector.fromArray(SPECIES, a, i).sub(shiftV).lanewise(VectorOperators.EXP);
      e.intoArray(out, i);
      sum = sum.add(e);
    }
    return sum.reduceLanes(VectorOperators.ADD) + tail.expShiftSum(a, out, i, to, shift);
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
  public void tanh(float[] in, float[] out, int n) {
    int i = 0;
    for (; i <= n - LANES; i += LANES) {
      FloatVector.fromArray(SPECIES, in, i).lanewise(VectorOperators.TANH).intoArray(out, i);
    }
    for (; i < n; i++) {
      out[i] = (float) Math.tanh(in[i]);
    }
  }

  @Override
  public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    int i = 0;
    FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    for (; i <= n - LANES; i += LANES) {
      FloatVector yv = FloatVector.fromArray(SPECIES, y, i);
      FloatVector.fromArray(SPECIES, dy, i).mul(one.sub(yv.mul(yv))).intoArray(dx, i);
    }
    for (; i < n; i++) {
      dx[i] = dy[i] * (1f - y[i] * y[i]);
    }
  }

  @Override
  public void adam(float[] theta, float[] grad, int tOff, float[] m, float[] v, int mOff, int n, AdamCoefficients c,
      float stepSize) {
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
      FloatVector g = FloatVector.fromArray(SPECIES, grad, tOff + i).add(decay.mul(value));
      FloatVector mi = b1.mul(FloatVector.fromArray(SPECIES, m, mOff + i)).add(a1.mul(g));
      FloatVector vi = b2.mul(FloatVector.fromArray(SPECIES, v, mOff + i)).add(a2.mul(g.mul(g)));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, mOff + i);
      value.sub(lr.mul(mi).div(vi.sqrt().add(eps))).intoArray(theta, tOff + i);
    }
    tail.adam(theta, grad, tOff + i, m, v, mOff + i, n - i, c, stepSize);
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
  public boolean vectorized() {
    return true;
  }
}
