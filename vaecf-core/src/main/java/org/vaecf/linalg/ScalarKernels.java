package org.vaecf.linalg;

/** Plain-loop kernels: the reference, and the fallback without the Vector API. */
final class ScalarKernels implements Kernels {
  @Override
  public float max(float[] a, int from, int to) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      max = Math.max(max, a[i]);
    }
    return max;
  }

  @Override
  public double expShiftSum(float[] a, float[] out, int from, int to, float shift) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      float e = (float) Math.exp(a[i] - shift);
      out[i] = e;
      sum += e;
    }
    return sum;
  }

  @Override
  public void scale(float[] a, int from, int to, float factor) {
    for (int i = from; i < to; i++) {
      a[i] *= factor;
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void tanh(float[] in, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = (float) Math.tanh(in[i]);
    }
  }

  @Override
  public void tanhBackward(float[] y, float[] dy, float[] dx, int n) {
    for (int i = 0; i < n; i++) {
      dx[i] = dy[i] * (1f - y[i] * y[i]);
    }
  }

  @Override
  public void adam(float[] theta, float[] grad, int tOff, float[] m, float[] v, int mOff, int n, AdamCoefficients c,
      float stepSize) {
    float b1 = c.beta1();
    float b2 = c.beta2();
    float a1 = c.oneMinusBeta1();
    float a2 = c.oneMinusBeta2();
    for (int i = 0; i < n; i++) {
      float value = theta[tOff + i];
      float g = grad[tOff + i] + c.decay() * value;
      float mi = b1 * m[mOff + i] + a1 * g;
      float vi = b2 * v[mOff + i] + a2 * (g * g);
      m[mOff + i] = mi;
      v[mOff + i] = vi;
      theta[tOff + i] = value - stepSize * mi / ((float) Math.sqrt(vi) + c.epsilon());
    }
  }

  @Override
  public void adamRepeat(float[] theta, int tOff, float[] m, float[] v, int mOff, int n, AdamCoefficients c,
      float[] stepSizes, int from, int to) {
    float b1 = c.beta1();
    float b2 = c.beta2();
    float a1 = c.oneMinusBeta1();
    float a2 = c.oneMinusBeta2();
    for (int i = 0; i < n; i++) {
      float value = theta[tOff + i];
      float mi = m[mOff + i];
      float vi = v[mOff + i];
      for (int s = from; s < to; s++) {
        float g = 0f + c.decay() * value;
        mi = b1 * mi + a1 * g;
        vi = b2 * vi + a2 * (g * g);
        value = value - stepSizes[s] * mi / ((float) Math.sqrt(vi) + c.epsilon());
      }
      m[mOff + i] = mi;
      v[mOff + i] = vi;
      theta[tOff + i] = value;
    }
  }

  @Override
  public boolean vectorized() {
    return false;
  }
}
