package org.vaecf.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The kernels: accuracy of the arithmetic-only exp/log/tanh/sin/cos against {@link Math}, and the scalar and SIMD
 * implementations giving bit-identical results (needed for reproducible training whatever the JIT has compiled).
 */
class KernelsTest {
  private static final ScalarKernels SCALAR = new ScalarKernels();
  private static final VectorKernels VECTOR = new VectorKernels();

  private static float[] uniform(int n, double low, double high, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (low + (high - low) * random.nextDouble());
    }
    return values;
  }

  @Test
  void expIsAccurateToAFewUlp() {
    for (float x : uniform(100_000, -87, 88, 1)) {
      double exact = Math.exp(x);
      assertThat(Math.abs(FloatMath.exp(x) - exact) / exact).as("exp(%s)", x).isLessThan(5e-7);
    }
    assertThat(FloatMath.exp(-1000f)).isPositive(); // clamped, never 0
    assertThat(FloatMath.exp(1000f)).isFinite();
    assertThat(FloatMath.exp(0f)).isEqualTo(1f);
  }

  @Test
  void simdExpsEqualTheScalarExpBitForBit() {
    float[] special = {
      0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, -1e-30f, 1e-30f, -87.3f, -87.29999f, -87.30001f, -1000f, 88f,
      87.99999f, 88.00001f, 1000f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0.34657359f,
      0.34657359f, -Float.MAX_VALUE
    };
    float[] values = withRandom(special, uniform(4096, -100, 100, 61));
    assertSameBits("exp", values, VectorMath::exp, FloatMath::exp, value -> true);
    // the non-positive twin's domain, NaN included
    assertSameBits("expOfNonPositive", values, VectorMath::expOfNonPositive, FloatMath::exp, value -> !(value > 0f));
  }

  /** {@code special} followed by {@code random}, padded with zeros to whole vectors. */
  private static float[] withRandom(float[] special, float[] random) {
    int lanes = VectorMath.SPECIES.length();
    float[] values = Arrays.copyOf(special, (special.length + random.length + lanes - 1) / lanes * lanes);
    System.arraycopy(random, 0, values, special.length, random.length);
    return values;
  }

  /** The SIMD function gives the scalar twin's bits on every value of {@code values} in {@code domain}. */
  private static void assertSameBits(
      String name,
      float[] values,
      java.util.function.UnaryOperator<jdk.incubator.vector.FloatVector> simd,
      java.util.function.UnaryOperator<Float> scalar,
      java.util.function.Predicate<Float> domain) {
    int lanes = VectorMath.SPECIES.length();
    for (int i = 0; i < values.length; i += lanes) {
      float[] results =
          simd.apply(jdk.incubator.vector.FloatVector.fromArray(VectorMath.SPECIES, values, i)).toArray();
      for (int k = 0; k < lanes; k++) {
        float value = values[i + k];
        if (domain.test(value)) { // floatToIntBits: NaN is one pattern here
          assertThat(Float.floatToIntBits(results[k])).as("%s(%s)", name, value)
              .isEqualTo(Float.floatToIntBits(scalar.apply(value)));
        }
      }
    }
  }

  @Test
  void simdLogsAndTanhsEqualTheScalarTwinsBitForBit() {
    float sqrt2 = FloatMath.SQRT2;
    float[] special = {
      0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 0.5f, 0.70710677f, 0.7071068f, 1f, Math.nextDown(1f),
      Math.nextDown(sqrt2), sqrt2, Math.nextUp(sqrt2), 2f, 1e-7f, Float.MAX_VALUE, -1f, 20f, -20f, 9.5f, -9.5f,
      Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY
    };
    float[] random = uniform(8192, -10, 10, 63);
    System.arraycopy(uniform(4096, 1e-7, 4, 62), 0, random, 0, 4096); // the first half in (0, 4], for log
    float[] values = withRandom(special, random);
    assertSameBits("log", values, VectorMath::log, FloatMath::log, value -> true);
    assertSameBits("tanh", values, VectorMath::tanh, FloatMath::tanh, value -> true);
    // the range reduction on the bits: m = x / 2^e in (√2/2, √2], so log is exact at powers of two and continuous at √2
    assertThat(FloatMath.log(1f)).isZero();
    assertThat(FloatMath.log(0.5f)).isEqualTo(-FloatMath.LN2);
    assertThat((double) FloatMath.log(sqrt2)).isCloseTo(Math.log(sqrt2), offset(1e-7));
    assertThat((double) FloatMath.log(Math.nextUp(sqrt2))).isCloseTo(Math.log(Math.nextUp(sqrt2)), offset(1e-7));
    assertThat(Float.floatToRawIntBits(FloatMath.tanh(-0f))).as("tanh(−0) = −0").isEqualTo(0x80000000);
    assertThat(Float.floatToRawIntBits(FloatMath.tanh(0f))).isZero();
    assertThat(FloatMath.tanh(-9.5f)).isEqualTo(-FloatMath.tanh(9.5f));
  }

  @Test
  void logTanhAndTurnsAreAccurate() {
    for (float x : uniform(100_000, 1e-7, 1, 2)) {
      assertThat((double) FloatMath.log(x)).as("log(%s)", x).isCloseTo(Math.log(x), offset(1e-6 * Math.max(1,
          Math.abs(Math.log(x)))));
    }
    for (float x : uniform(100_000, -10, 10, 3)) {
      assertThat((double) FloatMath.tanh(x)).as("tanh(%s)", x).isCloseTo(Math.tanh(x), offset(3e-7));
    }
    for (float u : uniform(100_000, 0, 1, 4)) {
      assertThat((double) FloatMath.cosTurns(u)).isCloseTo(Math.cos(2 * Math.PI * u), offset(5e-7));
      assertThat((double) FloatMath.sinTurns(u)).isCloseTo(Math.sin(2 * Math.PI * u), offset(5e-7));
    }
  }

  @Test
  void scalarAndVectorKernelsAgreeBitForBit() {
    int n = 1003; // not a multiple of the vector length: the tails are exercised
    float[] a = uniform(n, -30, 30, 5);
    float[] outScalar = new float[n];
    float[] outVector = new float[n];
    SCALAR.expShiftSum(a, outScalar, 0, n, 3f);
    VECTOR.expShiftSum(a, outVector, 0, n, 3f);
    assertThat(outVector).isEqualTo(outScalar);
    try (Matrix in = Matrix.of(1, n, a);
        Matrix scalarOut = Matrix.zeros(1, n);
        Matrix vectorOut = Matrix.zeros(1, n);
        Matrix grad = Matrix.of(1, n, uniform(n, -1, 1, 55))) {
      SCALAR.tanh(in.bytes(), scalarOut.bytes(), 2, n - 2);
      VECTOR.tanh(in.bytes(), vectorOut.bytes(), 2, n - 2);
      assertThat(vectorOut.toArray()).isEqualTo(scalarOut.toArray());
      assertThat(scalarOut.get(0, 1)).as("entries before the range untouched").isZero();
      assertThat(scalarOut.get(0, 500)).isCloseTo((float) Math.tanh(a[500]), offset(1e-6f));
      SCALAR.tanhBackward(scalarOut.bytes(), grad.bytes(), in.bytes(), 0, n);
      float[] scalarBackward = in.toArray();
      VECTOR.tanhBackward(scalarOut.bytes(), grad.bytes(), vectorOut.bytes(), 0, n);
      assertThat(vectorOut.toArray()).isEqualTo(scalarBackward);
      float y = scalarOut.get(0, 7);
      assertThat(scalarBackward[7]).isEqualTo(grad.get(0, 7) * (1f - y * y));
    }
    SCALAR.gaussian(0x1234_5678_9ABCL, outScalar, 0, n);
    VECTOR.gaussian(0x1234_5678_9ABCL, outVector, 0, n);
    assertThat(outVector).isEqualTo(outScalar);
    assertThat(SCALAR.max(a, 0, n)).isEqualTo(VECTOR.max(a, 0, n));
    double exact = 0;
    for (float x : a) {
      exact += Math.exp(x - 3.0);
    }
    assertThat(VECTOR.sumExpShift(a, 0, n, 3f)).isCloseTo(exact, offset(exact * 1e-6));
    assertThat(SCALAR.sumExpShift(a, 0, n, 3f)).isCloseTo(exact, offset(exact * 1e-6));
    float[] withNaN = a.clone();
    withNaN[17] = Float.NaN;
    for (float threshold : new float[] {-31f, 0f, 29.5f, 31f}) {
      int[] scalarFound = new int[n];
      int[] vectorFound = new int[n];
      int count = SCALAR.indexesAbove(withNaN, 3, n, threshold, scalarFound);
      assertThat(VECTOR.indexesAbove(withNaN, 3, n, threshold, vectorFound)).isEqualTo(count);
      assertThat(vectorFound).isEqualTo(scalarFound);
      int[] expected = IntStream.range(3, n).filter(i -> withNaN[i] > threshold).toArray();
      assertThat(Arrays.copyOf(scalarFound, count)).containsExactly(expected);
      int[] small = new int[2]; // more found than fit: only the first are written, all are counted
      assertThat(VECTOR.indexesAbove(withNaN, 3, n, threshold, small)).isEqualTo(count);
      assertThat(Arrays.copyOf(small, Math.min(2, count))).containsExactly(Arrays.copyOf(expected, Math.min(2, count)));
    }
  }

  @Test
  void adamAgreesBitForBitIncludingRepeatedZeroGradientSteps() {
    int n = 517;
    AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0.02f);
    float[] theta = uniform(n, -1, 1, 6);
    float[] grad = uniform(n, -0.1, 0.1, 7);
    float[] m = uniform(n, -0.01, 0.01, 8);
    float[] v = uniform(n, 0, 0.001, 9);
    float[] t1 = theta.clone();
    float[] m1 = m.clone();
    float[] v1 = v.clone();
    SCALAR.adam(t1, 0, grad, 0, m1, v1, 0, n, c, 1e-3f);
    float[] t2 = theta.clone();
    float[] m2 = m.clone();
    float[] v2 = v.clone();
    VECTOR.adam(t2, 0, grad, 0, m2, v2, 0, n, c, 1e-3f);
    assertThat(t2).isEqualTo(t1);
    assertThat(m2).isEqualTo(m1);
    float[] sizes = {0f, 1e-3f, 9e-4f, 8e-4f, 7e-4f};
    SCALAR.adamRepeat(t1, 0, m1, v1, 0, n, c, sizes, 1, 5);
    VECTOR.adamRepeat(t2, 0, m2, v2, 0, n, c, sizes, 1, 5);
    assertThat(t2).isEqualTo(t1);
    assertThat(v2).isEqualTo(v1);
  }

  @Test
  void repeatedZeroGradientStepsWithoutDecayAgreeBitForBit() {
    // decay 0 (Mult-VAE's default) takes a shorter vector path; its moments must come out as β·m + 0 does, signed
    // zeros included (β·(−0) + 0 is +0)
    int n = 600 + 37;
    AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0f);
    float[] theta = uniform(n, -1, 1, 36);
    float[] m = uniform(n, -0.01, 0.01, 37);
    float[] v = uniform(n, 0, 0.001, 38);
    m[0] = -0f;
    m[1] = 0f;
    m[70] = -0f;
    v[2] = 0f;
    theta[3] = -0f;
    float[] sizes = {0f, 1e-3f, 9e-4f, 8e-4f, 7e-4f, 6e-4f};
    float[][] scalar = {theta.clone(), m.clone(), v.clone()};
    SCALAR.adamRepeat(scalar[0], 0, scalar[1], scalar[2], 0, n, c, sizes, 1, 6);
    float[][] vector = {theta.clone(), m.clone(), v.clone()};
    VECTOR.adamRepeat(vector[0], 0, vector[1], vector[2], 0, n, c, sizes, 1, 6);
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < n; i++) {
        assertThat(Float.floatToRawIntBits(vector[k][i]))
            .as("array %d entry %d", k, i)
            .isEqualTo(Float.floatToRawIntBits(scalar[k][i]));
      }
    }
    assertThat(Float.floatToRawIntBits(scalar[1][0])).as("β·(−0) + 0 is +0").isZero();
    assertThat(scalar[0][5]).isNotEqualTo(theta[5]);
  }

  @Test
  void repeatedZeroGradientStepsTouchOnlyTheirRangeAtAnyOffsets() {
    // θ and the moments at different offsets, the row's length not a multiple of the blocks of the SIMD kernel
    int n = 600;
    float[] sizes = {0f, 1e-3f, 9e-4f, 8e-4f};
    for (float decay : new float[] {0f, 0.02f}) {
      AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, decay);
      float[] theta = uniform(n + 40, -1, 1, 46);
      float[] m = uniform(n + 40, -0.01, 0.01, 47);
      float[] v = uniform(n + 40, 0, 0.001, 48);
      float[][] scalar = {theta.clone(), m.clone(), v.clone()};
      float[][] vector = {theta.clone(), m.clone(), v.clone()};
      SCALAR.adamRepeat(scalar[0], 13, scalar[1], scalar[2], 29, n, c, sizes, 1, 4);
      VECTOR.adamRepeat(vector[0], 13, vector[1], vector[2], 29, n, c, sizes, 1, 4);
      for (int k = 0; k < 3; k++) {
        assertThat(vector[k]).as("decay %s, array %d", decay, k).isEqualTo(scalar[k]);
      }
      assertThat(vector[0][12]).as("before θ's range").isEqualTo(theta[12]);
      assertThat(vector[0][13 + n]).as("after θ's range").isEqualTo(theta[13 + n]);
      assertThat(vector[1][28]).isEqualTo(m[28]);
      assertThat(vector[2][29 + n]).isEqualTo(v[29 + n]);
      assertThat(vector[0][13 + n - 1]).as("last entry of the range updated").isNotEqualTo(theta[13 + n - 1]);
    }
  }

  @Test
  void heapAdamWithThetaAndMomentsAtDifferentOffsetsStaysInBounds() {
    int n = 517;
    AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0.02f);
    float[] theta = uniform(n + 40, -1, 1, 46);
    float[] grad = uniform(n, -0.1, 0.1, 47);
    float[] m = uniform(n, -0.01, 0.01, 48); // exactly n long: θ's offset must not be used to index the moments
    float[] v = uniform(n, 0, 0.001, 49);
    float[][] expected = {theta.clone(), m.clone(), v.clone()};
    SCALAR.adam(expected[0], 40, grad, 0, expected[1], expected[2], 0, n, c, 1e-3f);
    float[][] actual = {theta.clone(), m.clone(), v.clone()};
    VECTOR.adam(actual[0], 40, grad, 0, actual[1], actual[2], 0, n, c, 1e-3f);
    assertThat(actual).isDeepEqualTo(expected);
  }

  @Test
  void adamReadingAheadIsAdamAndLeavesTheRowAheadAlone() {
    int n = 517;
    int width = 600; // two rows of a first-layer-like weight: the first updated, the second read ahead
    AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0.02f);
    float[] theta = uniform(2 * width, -1, 1, 26);
    float[] grad = uniform(n, -0.1, 0.1, 27);
    float[] m = uniform(2 * width, -0.01, 0.01, 28);
    float[] v = uniform(2 * width, 0, 0.001, 29);
    float[] expectedTheta = theta.clone();
    float[] expectedM = m.clone();
    float[] expectedV = v.clone();
    SCALAR.adam(expectedTheta, 0, grad, 0, expectedM, expectedV, 0, n, c, 1e-3f);
    for (Kernels kernels : new Kernels[] {SCALAR, VECTOR}) {
      float[] t2 = theta.clone();
      float[] m2 = m.clone();
      float[] v2 = v.clone();
      kernels.adamReadingAhead(t2, 0, grad, 0, m2, v2, 0, n, c, 1e-3f, width);
      String name = kernels.getClass().getSimpleName();
      assertThat(t2).as(name).isEqualTo(expectedTheta);
      assertThat(m2).as(name).isEqualTo(expectedM);
      assertThat(v2).as(name).isEqualTo(expectedV);
    }
    assertThat(Arrays.copyOfRange(expectedTheta, width, 2 * width))
        .isEqualTo(Arrays.copyOfRange(theta, width, 2 * width));
    assertThat(expectedTheta[0]).isNotEqualTo(theta[0]);
  }

  @Test
  void adamOnDirectMemoryIsTheHeapAdamBitForBit() {
    int n = 517; // a tail after the last whole vector
    AdamCoefficients c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, 0.02f);
    float[] theta = uniform(n + 3, -1, 1, 16);
    float[] grad = uniform(n + 5, -0.1, 0.1, 17);
    float[] m = uniform(n, -0.01, 0.01, 18);
    float[] v = uniform(n, 0, 0.001, 19);
    float[] expectedTheta = theta.clone();
    float[] expectedM = m.clone();
    float[] expectedV = v.clone();
    SCALAR.adam(expectedTheta, 3, grad, 5, expectedM, expectedV, 0, n, c, 1e-3f);
    for (Kernels kernels : new Kernels[] {SCALAR, VECTOR}) {
      try (Matrix directTheta = Matrix.of(1, theta.length, theta);
          Matrix directGrad = Matrix.of(1, grad.length, grad)) {
        float[] m2 = m.clone();
        float[] v2 = v.clone();
        kernels.adam(directTheta.bytes(), 3, directGrad.bytes(), 5, m2, v2, 0, n, c, 1e-3f);
        assertThat(directTheta.toArray()).as("%s θ", kernels.getClass().getSimpleName()).isEqualTo(expectedTheta);
        assertThat(m2).isEqualTo(expectedM);
        assertThat(v2).isEqualTo(expectedV);
        assertThat(directGrad.toArray()).isEqualTo(grad);
      }
    }
  }

  @Test
  void gaussianNoiseIsStandardNormal() {
    int n = 200_000;
    float[] z = new float[n];
    VECTOR.gaussian(42L, z, 0, n);
    double mean = 0;
    for (float value : z) {
      mean += value;
    }
    mean /= n;
    double variance = 0;
    int beyondTwo = 0;
    for (float value : z) {
      variance += (value - mean) * (value - mean);
      if (Math.abs(value) > 2) {
        beyondTwo++;
      }
    }
    variance /= n - 1;
    assertThat(mean).isCloseTo(0, offset(0.01)); // 4.5 standard errors
    assertThat(variance).isCloseTo(1, offset(0.015));
    assertThat(beyondTwo / (double) n).isCloseTo(0.0455, offset(0.003)); // P(|Z| > 2)
  }

  @Test
  void fusedBiasAndGradientPassesAgreeBitForBit() {
    int n = 1_029;
    float[] bias = uniform(n, -1, 1, 31);
    float[] logits = uniform(n + 3, -5, 5, 32);
    try (Matrix direct = Matrix.of(1, n + 3, logits)) {
      float[] a1 = new float[n];
      float[] a2 = new float[n];
      assertThat(VECTOR.loadAddMax(direct.bytes(), 3, bias, a2, n))
          .isEqualTo(SCALAR.loadAddMax(direct.bytes(), 3, bias, a1, n));
      assertThat(a2).isEqualTo(a1);
      float expectedMax = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        assertThat(a1[i]).isEqualTo(logits[3 + i] + bias[i]);
        expectedMax = Math.max(expectedMax, a1[i]);
      }
      assertThat(SCALAR.loadAddMax(direct.bytes(), 3, bias, new float[n], n)).isEqualTo(expectedMax);
      float[] sum1 = uniform(n, -1, 1, 33);
      float[] sum2 = sum1.clone();
      float[] expectedSum = sum1.clone();
      SCALAR.scaleAccumulateStore(a1, 0.37f, sum1, direct.bytes(), 3, n);
      float[] scalarOut = direct.toArray();
      direct.copyFrom(logits);
      VECTOR.scaleAccumulateStore(a2, 0.37f, sum2, direct.bytes(), 3, n);
      assertThat(direct.toArray()).isEqualTo(scalarOut);
      assertThat(sum2).isEqualTo(sum1);
      for (int i = 0; i < n; i++) {
        assertThat(scalarOut[3 + i]).isEqualTo(a1[i] * 0.37f);
        assertThat(sum1[i]).isEqualTo(expectedSum[i] + a1[i] * 0.37f);
      }
      assertThat(Arrays.copyOf(scalarOut, 3)).as("entries before the offset untouched").isEqualTo(Arrays.copyOf(logits, 3));
    }
  }

  @Test
  void pipelinedLikelihoodPassEqualsItsThreePassesBitForBit() {
    // three rows of one direct matrix: row 0 is loaded, row 1's scratch exponentiated, row 2's scratch stored
    for (int n : new int[] {1, 5, 16, 1_029, 20_108}) {
      float[] bias = uniform(n, -1, 1, 41);
      float[] logits = uniform(3 * n, -5, 5, 42);
      float[] expInput = uniform(n, -8, 1.5, 43); // at most the shift, as the contract wants
      float[] storeInput = uniform(n, 0, 1, 44);
      float[] biasGradient = uniform(n, -1, 1, 45);
      float shift = 1.5f;
      float factor = 0.37f;
      float[][] scalarOutputs = null;
      for (Kernels kernels : new Kernels[] {SCALAR, VECTOR}) {
        String name = kernels.getClass().getSimpleName() + ", n = " + n;
        float[][] expected;
        float expectedMax;
        double expectedSum;
        try (Matrix direct = Matrix.of(3, n, logits)) {
          float[] loaded = new float[n];
          float[] exp = expInput.clone();
          float[] sum = biasGradient.clone();
          expectedMax = kernels.loadAddMax(direct.bytes(), 0, bias, loaded, n);
          expectedSum = kernels.expShiftSum(exp, exp, 0, n, shift);
          kernels.scaleAccumulateStore(storeInput, factor, sum, direct.bytes(), 2 * n, n);
          expected = new float[][] {loaded, exp, sum, direct.toArray()};
        }
        try (Matrix direct = Matrix.of(3, n, logits)) {
          float[] loaded = new float[n];
          float[] max = new float[1];
          float[] exp = expInput.clone();
          float[] sum = biasGradient.clone();
          double expSum = kernels.loadExpStore(
              direct.bytes(), 0, bias, loaded, max, exp, shift, storeInput, factor, sum, direct.bytes(), 2 * n, n);
          assertThat(max[0]).as(name).isEqualTo(expectedMax);
          assertThat(expSum).as(name).isEqualTo(expectedSum);
          assertThat(loaded).as(name).isEqualTo(expected[0]);
          assertThat(exp).as(name).isEqualTo(expected[1]);
          assertThat(sum).as(name).isEqualTo(expected[2]);
          assertThat(direct.toArray()).as(name).isEqualTo(expected[3]);
        }
        if (scalarOutputs == null) {
          scalarOutputs = expected;
        } else {
          // the element-wise outputs agree between the implementations (only the sum of the exponentials is added up
          // in another order)
          assertThat(expected).as(name).isDeepEqualTo(scalarOutputs);
        }
      }
      assertThat(scalarOutputs[3][2 * n]).isEqualTo(storeInput[0] * factor);
      assertThat(scalarOutputs[1][0]).isEqualTo(FloatMath.exp(expInput[0] - shift));
    }
  }

  @Test
  void gatherSumEqualsOneAxpyPerRowBitForBit() {
    int width = 37; // not a multiple of any vector length: every path has a tail
    int rowsCount = 50;
    float[] rows = uniform(width * rowsCount, -1, 1, 41);
    int[] indexes = {3, 7, 7, 0, 49, 12, 5, 3, 8, 21, 30};
    float[] weights = uniform(indexes.length, -2, 2, 42);
    for (int to = 0; to <= indexes.length; to++) {
      float[] byAxpy = uniform(width + 5, -1, 1, 43);
      float[] scalar = byAxpy.clone();
      float[] vector = byAxpy.clone();
      for (int k = 1; k < to; k++) {
        SCALAR.axpy(weights[k], rows, indexes[k] * width, byAxpy, 5, width);
      }
      SCALAR.gatherSum(rows, width, indexes, weights, 1, Math.max(1, to), scalar, 5);
      VECTOR.gatherSum(rows, width, indexes, weights, 1, Math.max(1, to), vector, 5);
      assertThat(scalar).as("scalar, to %d", to).isEqualTo(byAxpy);
      assertThat(vector).as("vector, to %d", to).isEqualTo(byAxpy);
    }
  }

  @Test
  void panelProductIsOneFusedSumPerEntryInTheOrderOfDepthWhateverTheRowGroup() {
    int depth = 37;
    for (Kernels kernels : new Kernels[] {SCALAR, VECTOR}) {
      int width = kernels.panelWidth();
      float[] panel = uniform(5 + depth * width, -1, 1, 51);
      float[] init = uniform(3 + width, -1, 1, 52);
      // 1 to 19 rows: every group of the SIMD kernel (8, 4, 2, 1) and their mixtures
      for (int rows = 1; rows <= 19; rows++) {
        float[] a = uniform(rows * depth, -2, 2, 53 + rows);
        int stride = width + 7;
        float[] out = new float[2 + rows * stride];
        Arrays.fill(out, Float.NaN);
        kernels.panelProduct(a, rows, depth, panel, 5, init, 3, out, 2, stride);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < width; j++) {
            float expected = init[3 + j];
            for (int k = 0; k < depth; k++) {
              expected = Math.fma(panel[5 + k * width + j], a[r * depth + k], expected);
            }
            assertThat(out[2 + r * stride + j]).as("%s, %d rows: row %d column %d", kernels, rows, r, j)
                .isEqualTo(expected);
          }
          for (int j = width; j < stride && r < rows - 1; j++) {
            assertThat(out[2 + r * stride + j]).as("between rows").isNaN();
          }
        }
      }
    }
  }
}
