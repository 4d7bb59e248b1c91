package org.vaecf.linalg;

import java.nio.ByteBuffer;

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
  public int indexesAbove(float[] a, int from, int to, float threshold, int[] out) {
    return appendIndexesAbove(a, from, to, threshold, out, 0);
  }

  /** {@link #indexesAbove}, appending after the first {@code count} found; also the vector kernel's tail. */
  int appendIndexesAbove(float[] a, int from, int to, float threshold, int[] out, int count) {
    for (int i = from; i < to; i++) {
      if (a[i] > threshold) {
        if (count < out.length) {
          out[count] = i;
        }
        count++;
      }
    }
    return count;
  }

  @Override
  public double expShiftSum(float[] a, float[] out, int from, int to, float shift) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      float e = FloatMath.exp(a[i] - shift);
      out[i] = e;
      sum += e;
    }
    return sum;
  }

  @Override
  public double sumExpShift(float[] a, int from, int to, float shift) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += FloatMath.exp(a[i] - shift);
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
  public void gatherSum(
      float[] rows, int width, int[] indexes, float[] weights, int from, int to, float[] sum, int sumOff) {
    gatherSum(rows, width, indexes, weights, from, to, sum, sumOff, 0);
  }

  /** {@link #gatherSum} over columns {@code [start, width)}; also the vector kernel's tail. */
  void gatherSum(
      float[] rows, int width, int[] indexes, float[] weights, int from, int to, float[] sum, int sumOff, int start) {
    for (int k = from; k < to; k++) {
      float weight = weights[k];
      int base = indexes[k] * width;
      for (int j = start; j < width; j++) {
        sum[sumOff + j] += weight * rows[base + j];
      }
    }
  }

  @Override
  public float loadAddMax(ByteBuffer source, int offset, float[] b, float[] out, int n) {
    return loadAddMax(source, offset, b, out, 0, n, Float.NEGATIVE_INFINITY);
  }

  /** {@link #loadAddMax} over {@code [from, to)}, starting from {@code max}; also the vector kernel's tail. */
  float loadAddMax(ByteBuffer source, int offset, float[] b, float[] out, int from, int to, float max) {
    float largest = max;
    for (int i = from; i < to; i++) {
      float value = source.getFloat((offset + i) * Float.BYTES) + b[i];
      out[i] = value;
      largest = Math.max(largest, value);
    }
    return largest;
  }

  @Override
  public void scaleAccumulateStore(float[] a, float factor, float[] sum, ByteBuffer out, int offset, int n) {
    scaleAccumulateStore(a, factor, sum, out, offset, 0, n);
  }

  @Override
  public double loadExpStore(
      ByteBuffer source, int loadOffset, float[] b, float[] loadRow, float[] loadedMax, float[] expRow, float shift,
      float[] storeRow, float factor, float[] sum, ByteBuffer out, int storeOffset, int n) {
    loadedMax[0] = loadAddMax(source, loadOffset, b, loadRow, n);
    double expSum = expShiftSum(expRow, expRow, 0, n, shift);
    scaleAccumulateStore(storeRow, factor, sum, out, storeOffset, n);
    return expSum;
  }

  /** {@link #scaleAccumulateStore} over {@code [from, to)}; also the vector kernel's tail. */
  void scaleAccumulateStore(float[] a, float factor, float[] sum, ByteBuffer out, int offset, int from, int to) {
    for (int i = from; i < to; i++) {
      float value = a[i] * factor;
      sum[i] += value;
      out.putFloat((offset + i) * Float.BYTES, value);
    }
  }

  @Override
  public void tanh(ByteBuffer in, ByteBuffer out, int off, int n) {
    for (int i = off; i < off + n; i++) {
      out.putFloat(i * Float.BYTES, FloatMath.tanh(in.getFloat(i * Float.BYTES)));
    }
  }

  @Override
  public void tanhBackward(ByteBuffer y, ByteBuffer dy, ByteBuffer dx, int off, int n) {
    for (int i = off; i < off + n; i++) {
      float yi = y.getFloat(i * Float.BYTES);
      dx.putFloat(i * Float.BYTES, dy.getFloat(i * Float.BYTES) * (1f - yi * yi));
    }
  }

  @Override
  public void adam(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize) {
    for (int i = 0; i < n; i++) {
      theta[tOff + i] = adamEntry(theta[tOff + i], grad[gOff + i], m, v, mOff + i, c, stepSize);
    }
  }

  /** Plain {@link #adam}: the scalar loop is slow enough that the next row's misses do not matter. */
  @Override
  public float adamReadingAhead(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize, int aheadOff) {
    adam(theta, tOff, grad, gOff, m, v, mOff, n, c, stepSize);
    return 0f;
  }

  @Override
  public void adam(ByteBuffer theta, int tOff, ByteBuffer grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize) {
    for (int i = 0; i < n; i++) {
      int at = (tOff + i) * Float.BYTES;
      float value = theta.getFloat(at);
      theta.putFloat(at, adamEntry(value, grad.getFloat((gOff + i) * Float.BYTES), m, v, mOff + i, c, stepSize));
    }
  }

  /** One entry of an Adam step: updates {@code m[k]} and {@code v[k]} and returns the new θ. */
  private static float adamEntry(
      float value, float gradient, float[] m, float[] v, int k, AdamCoefficients c, float stepSize) {
    float g = gradient + c.decay() * value;
    float mi = c.beta1() * m[k] + c.oneMinusBeta1() * g;
    float vi = c.beta2() * v[k] + c.oneMinusBeta2() * (g * g);
    m[k] = mi;
    v[k] = vi;
    return value - stepSize * mi / ((float) Math.sqrt(vi) + c.epsilon());
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
  public void gaussian(long key, float[] out, int off, int n) {
    gaussianPairs((int) key, (int) (key >>> 32), out, off, n, 0);
  }

  /** Box–Muller pairs {@code first..} of {@link #gaussian}: the scalar loop, also the vector version's tail. */
  void gaussianPairs(int seedLo, int seedHi, float[] out, int off, int n, int first) {
    int half = (n + 1) / 2;
    for (int p = first; p < half; p++) {
      float u1 = NoiseHash.uniform(NoiseHash.hash(seedLo, seedHi, 2 * p));
      float u2 = NoiseHash.uniform(NoiseHash.hash(seedLo, seedHi, 2 * p + 1));
      float radius = (float) Math.sqrt(-2f * FloatMath.log(u1));
      out[off + p] = radius * FloatMath.cosTurns(u2);
      if (p + half < n) {
        out[off + p + half] = radius * FloatMath.sinTurns(u2);
      }
    }
  }

  @Override
  public void reparameterize(float[] muLogVar, int off, float[] eps, int eOff, float[] sigma, int sOff, float[] z,
      int zOff, int d) {
    for (int j = 0; j < d; j++) {
      float s = FloatMath.exp(0.5f * muLogVar[off + d + j]);
      sigma[sOff + j] = s;
      z[zOff + j] = muLogVar[off + j] + eps[eOff + j] * s;
    }
  }

  @Override
  public void reparameterizeBackward(float[] dz, int zOff, float[] eps, int eOff, float[] sigma, int sOff,
      float[] grad, int off, int d) {
    for (int j = 0; j < d; j++) {
      float g = dz[zOff + j];
      grad[off + j] = g;
      grad[off + d + j] = g * eps[eOff + j] * (0.5f * sigma[sOff + j]);
    }
  }

  @Override
  public double gaussianKl(float[] muLogVar, int off, int d) {
    double total = 0;
    for (int j = 0; j < d; j++) {
      float mu = muLogVar[off + j];
      float logVar = muLogVar[off + d + j];
      total += 0.5f * (-logVar + FloatMath.exp(logVar) + mu * mu - 1f);
    }
    return total;
  }

  @Override
  public void addGaussianKlGradient(float[] muLogVar, int off, float[] grad, int d, float scale) {
    for (int j = 0; j < d; j++) {
      grad[off + j] += scale * muLogVar[off + j];
      grad[off + d + j] += scale * (0.5f * (FloatMath.exp(muLogVar[off + d + j]) - 1f));
    }
  }

  /** Any width works for the scalar loops; this one matches the SIMD kernels' on a 256-bit machine. */
  private static final int PANEL_WIDTH = 16;

  @Override
  public int panelWidth() {
    return PANEL_WIDTH;
  }

  @Override
  public void panelProduct(
      float[] a, int rows, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride) {
    for (int r = 0; r < rows; r++) {
      int row = r * depth;
      for (int j = 0; j < PANEL_WIDTH; j++) {
        float sum = init[initOff + j];
        for (int k = 0; k < depth; k++) {
          sum = Math.fma(panel[panelOff + k * PANEL_WIDTH + j], a[row + k], sum);
        }
        out[outOff + r * outStride + j] = sum;
      }
    }
  }

  @Override
  public boolean vectorized() {
    return false;
  }
}
