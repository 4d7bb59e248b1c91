package org.vaecf.linalg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over the JDK Vector API (incubating; needs {@code --add-modules jdk.incubator.vector}). Loaded only
 * through {@link Kernels#best()}, which checks that the module is present. Tails shorter than a vector run the
 * scalar code of {@link ScalarKernels}.
 *
 * <p>Each kernel is best compiled by C2 as a unit of its own. Inlined into a large caller, a kernel may leave C2
 * without node budget for the Vector API's own small methods, and every vector passed to one left as a call is
 * boxed: the same loop then runs several times slower, depending on the order in which methods happened to be
 * compiled (measured: the output layer's likelihood pass took 6.5 ms in some runs of an ML-20M-shaped step and 18 ms
 * in others). So the launcher passes {@value #COMPILE_COMMAND}, which keeps C2 from inlining these methods into their
 * callers, while the lane-wise helpers of {@link VectorMath} are still inlined into the kernels.
 *
 * <p>A vector that lives across the iterations of a loop — a running maximum or sum, or a loop-invariant one such as
 * Adam's β₁ broadcast before the loop — is only ever the argument of an operation, never its receiver:
 * {@code max = loaded.max(max)}, not {@code max = max.max(loaded)}; {@code m.mul(b1)}, not {@code b1.mul(m)}. Such a
 * value is a loop phi of the abstract type {@code FloatVector}; a call on it is virtual, and C2 inlines it only from a
 * type profile, so a kernel compiled without one (early, or again after a deoptimisation) keeps it as a call that
 * boxes every vector. Called on a vector just loaded or computed, whose class C2 knows exactly, the operation is
 * inlined whatever the profile says, and the other vector is cast to that class inside it. After the loop, too, the
 * carried vector goes to an operation on a constant ({@code NEGATIVE_INFINITY.max(max)}, {@code ZERO.add(sum)})
 * rather than being stored or reduced by a call on itself. The values are the same: Java's max, IEEE addition and
 * multiplication are commutative, and a sum started at +0 is never −0. C2's {@code -XX:+PrintInlining} log of a clean
 * training run showed these operations (the likelihood pass's running maximum, the stores after the loops, the Adam
 * kernels' products with β₁, β₂, 1 − β and the step size) inlined only on a type profile, and one of a run that
 * allocated 17 MB per step an operation of the same kind ({@link VectorMath}'s class comment) left as a virtual call;
 * now the log of a run shows none of them. (Unrecorded, one run of five on 2026-12-01 allocated 109 MB per step, its
 * likelihood pass taking 8.5 ms instead of 4.5.)
 */
final class VectorKernels implements Kernels {
  /** The JVM option that compiles each kernel on its own (see the class comment). */
  static final String COMPILE_COMMAND = "-XX:CompileCommand=dontinline,org.vaecf.linalg.VectorKernels::*";
  private static final VectorSpecies<Float> SPECIES = VectorMath.SPECIES;
  private static final VectorSpecies<Integer> INT_SPECIES = VectorMath.INT_SPECIES;
  private static final IntVector TWO = IntVector.broadcast(INT_SPECIES, 2);
  private static final IntVector LANE_INDEX = IntVector.zero(INT_SPECIES).addIndex(1);
  private static final int LANES = SPECIES.length();
  /** −∞ on every lane: the receiver of a running maximum's last operation (see the class comment). */
  private static final FloatVector NEGATIVE_INFINITY = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
  /**
   * −0 on every lane: {@code NEGATIVE_ZERO.add(x)} is x exactly (also for ±0 and NaN), the receiver that hands the
   * packed product's accumulators from their loop to their stores (see the class comment).
   */
  private static final FloatVector NEGATIVE_ZERO = FloatVector.broadcast(SPECIES, -0f);
  /** 1 on every lane, a receiver whose exact class C2 knows (see the class comment). */
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
  /**
   * +0 on every lane, made once, for the catch-up kernels' additions: there, {@code FloatVector.zero(SPECIES)} was
   * sometimes left by the optimising compiler as a call that allocates (a flight recording of a training run found it
   * once per call, 3.5 MB per step); a static final vector is a constant the compiled kernel reads. (The kernels that
   * start a sum from zero keep {@code FloatVector.zero}, which never showed up.) Also the receiver that takes a running
   * sum out of its loop (see the class comment).
   */
  private static final FloatVector ZERO = FloatVector.zero(SPECIES);
  /** Entries per block of {@link #adamRepeat}: four vectors. */
  private static final int REPEAT_BLOCK = 4 * LANES;
  /** Per thread, what the Gaussian noise's turn passes from its first pass to its second ({@link #turnScratch}). */
  private static final ThreadLocal<float[]> TURN_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
  /**
   * Per thread, where a kernel stores a vector of partial sums to add its lanes in order ({@link VectorMath#sumInOrder}):
   * a new array per call was most of a training step's garbage (two kernels called once per row each, 80 kB per step
   * at ML-20M's shape); an array passed to a vector store escapes, so C2 does not remove the allocation.
   */
  private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  /**
   * Whether this JDK's Vector API loads and stores vectors from direct buffers ({@code fromByteBuffer}: JDK 17 and 18;
   * later ones replaced it by memory segments). Without it the direct-memory kernels run the scalar loops.
   */
  private static final boolean BYTE_BUFFER_VECTORS = hasByteBufferVectors();
  private final ScalarKernels tail = new ScalarKernels();

  private static boolean hasByteBufferVectors() {
    try {
      FloatVector.class.getMethod(
          "fromByteBuffer", VectorSpecies.class, ByteBuffer.class, int.class, ByteOrder.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Override
  public float max(float[] a, int from, int to) {
    int i = from;
    FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    for (; i <= to - LANES; i += LANES) {
      max = FloatVector.fromArray(SPECIES, a, i).max(max);
    }
    return Math.max(NEGATIVE_INFINITY.max(max).reduceLanes(VectorOperators.MAX), tail.max(a, i, to));
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
      FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, a, i).sub(shiftV));
      e.intoArray(out, i);
      sum = e.add(sum);
    }
    float[] lanes = LANE_SCRATCH.get();
    ZERO.add(sum).intoArray(lanes, 0);
    return VectorMath.sumInOrder(lanes) + tail.expShiftSum(a, out, i, to, shift);
  }

  @Override
  public double sumExpShift(float[] a, int from, int to, float shift) {
    int i = from;
    FloatVector shiftV = FloatVector.broadcast(SPECIES, shift);
    FloatVector sum = FloatVector.zero(SPECIES);
    for (; i <= to - LANES; i += LANES) {
      sum = VectorMath.exp(FloatVector.fromArray(SPECIES, a, i).sub(shiftV)).add(sum);
    }
    float[] lanes = LANE_SCRATCH.get();
    ZERO.add(sum).intoArray(lanes, 0);
    return VectorMath.sumInOrder(lanes) + tail.sumExpShift(a, i, to, shift);
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
  public void gatherSum(
      float[] rows, int width, int[] indexes, float[] weights, int from, int to, float[] sum, int sumOff) {
    int k = from;
    int vectorEnd = width - width % LANES;
    // four rows per sweep: per entry the additions happen in the order of k, as with one axpy per row
    for (; k <= to - 4; k += 4) {
      float w0 = weights[k];
      float w1 = weights[k + 1];
      float w2 = weights[k + 2];
      float w3 = weights[k + 3];
      int b0 = indexes[k] * width;
      int b1 = indexes[k + 1] * width;
      int b2 = indexes[k + 2] * width;
      int b3 = indexes[k + 3] * width;
      for (int j = 0; j < vectorEnd; j += LANES) {
        FloatVector s = FloatVector.fromArray(SPECIES, sum, sumOff + j);
        s = FloatVector.fromArray(SPECIES, rows, b0 + j).mul(w0).add(s);
        s = FloatVector.fromArray(SPECIES, rows, b1 + j).mul(w1).add(s);
        s = FloatVector.fromArray(SPECIES, rows, b2 + j).mul(w2).add(s);
        s = FloatVector.fromArray(SPECIES, rows, b3 + j).mul(w3).add(s);
        s.intoArray(sum, sumOff + j);
      }
      if (vectorEnd < width) {
        tail.gatherSum(rows, width, indexes, weights, k, k + 4, sum, sumOff, vectorEnd);
      }
    }
    for (; k < to; k++) {
      axpy(weights[k], rows, indexes[k] * width, sum, sumOff, width);
    }
  }

  @Override
  public float loadAddMax(ByteBuffer source, int offset, float[] b, float[] out, int n) {
    if (!BYTE_BUFFER_VECTORS) {
      return tail.loadAddMax(source, offset, b, out, n);
    }
    int i = 0;
    FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    for (; i <= n - LANES; i += LANES) {
      FloatVector value =
          FloatVector.fromByteBuffer(SPECIES, source, (offset + i) * Float.BYTES, NATIVE)
              .add(FloatVector.fromArray(SPECIES, b, i));
      value.intoArray(out, i);
      max = value.max(max);
    }
    return tail.loadAddMax(source, offset, b, out, i, n, NEGATIVE_INFINITY.max(max).reduceLanes(VectorOperators.MAX));
  }

  @Override
  public void scaleAccumulateStore(float[] a, float factor, float[] sum, ByteBuffer out, int offset, int n) {
    if (!BYTE_BUFFER_VECTORS) {
      tail.scaleAccumulateStore(a, factor, sum, out, offset, n);
      return;
    }
    int i = 0;
    for (; i <= n - LANES; i += LANES) {
      FloatVector value = FloatVector.fromArray(SPECIES, a, i).mul(factor);
      FloatVector.fromArray(SPECIES, sum, i).add(value).intoArray(sum, i);
      value.intoByteBuffer(out, (offset + i) * Float.BYTES, NATIVE);
    }
    tail.scaleAccumulateStore(a, factor, sum, out, offset, i, n);
  }

  @Override
  public double loadExpStore(
      ByteBuffer source, int loadOffset, float[] b, float[] loadRow, float[] loadedMax, float[] expRow, float shift,
      float[] storeRow, float factor, float[] sum, ByteBuffer out, int storeOffset, int n) {
    if (!BYTE_BUFFER_VECTORS) {
      return tail.loadExpStore(
          source, loadOffset, b, loadRow, loadedMax, expRow, shift, storeRow, factor, sum, out, storeOffset, n);
    }
    int i = 0;
    FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    FloatVector shiftV = FloatVector.broadcast(SPECIES, shift);
    FloatVector expSum = FloatVector.zero(SPECIES);
    for (; i <= n - LANES; i += LANES) {
      // each lane runs the three kernels' operations in their order: the same bits as calling them one by one
      FloatVector loaded =
          FloatVector.fromByteBuffer(SPECIES, source, (loadOffset + i) * Float.BYTES, NATIVE)
              .add(FloatVector.fromArray(SPECIES, b, i));
      loaded.intoArray(loadRow, i);
      max = loaded.max(max);
      FloatVector e = VectorMath.expOfNonPositive(FloatVector.fromArray(SPECIES, expRow, i).sub(shiftV));
      e.intoArray(expRow, i);
      expSum = e.add(expSum);
      FloatVector scaled = FloatVector.fromArray(SPECIES, storeRow, i).mul(factor);
      FloatVector.fromArray(SPECIES, sum, i).add(scaled).intoArray(sum, i);
      scaled.intoByteBuffer(out, (storeOffset + i) * Float.BYTES, NATIVE);
    }
    float vectorMax = NEGATIVE_INFINITY.max(max).reduceLanes(VectorOperators.MAX);
    loadedMax[0] = tail.loadAddMax(source, loadOffset, b, loadRow, i, n, vectorMax);
    float[] lanes = LANE_SCRATCH.get();
    ZERO.add(expSum).intoArray(lanes, 0);
    double total = VectorMath.sumInOrder(lanes) + tail.expShiftSum(expRow, expRow, i, n, shift);
    tail.scaleAccumulateStore(storeRow, factor, sum, out, storeOffset, i, n);
    return total;
  }

  @Override
  public void tanh(ByteBuffer in, ByteBuffer out, int off, int n) {
    if (!BYTE_BUFFER_VECTORS) {
      tail.tanh(in, out, off, n);
      return;
    }
    int i = off;
    int end = off + n;
    for (; i <= end - LANES; i += LANES) {
      VectorMath.tanh(FloatVector.fromByteBuffer(SPECIES, in, i * Float.BYTES, NATIVE))
          .intoByteBuffer(out, i * Float.BYTES, NATIVE);
    }
    tail.tanh(in, out, i, end - i);
  }

  @Override
  public void tanhBackward(ByteBuffer y, ByteBuffer dy, ByteBuffer dx, int off, int n) {
    if (!BYTE_BUFFER_VECTORS) {
      tail.tanhBackward(y, dy, dx, off, n);
      return;
    }
    int i = off;
    int end = off + n;
    for (; i <= end - LANES; i += LANES) {
      FloatVector yv = FloatVector.fromByteBuffer(SPECIES, y, i * Float.BYTES, NATIVE);
      FloatVector.fromByteBuffer(SPECIES, dy, i * Float.BYTES, NATIVE)
          .mul(ONE.sub(yv.mul(yv)))
          .intoByteBuffer(dx, i * Float.BYTES, NATIVE);
    }
    tail.tanhBackward(y, dy, dx, i, end - i);
  }

  @Override
  public void adam(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize) {
    // reading the row itself "ahead" costs three loads from L1 per vector: one loop body for both kernels
    adamReadingAhead(theta, tOff, grad, gOff, m, v, mOff, n, c, stepSize, mOff);
  }

  @Override
  public float adamReadingAhead(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize, int aheadOff) {
    int i = 0;
    FloatVector b1 = FloatVector.broadcast(SPECIES, c.beta1());
    FloatVector b2 = FloatVector.broadcast(SPECIES, c.beta2());
    FloatVector a1 = FloatVector.broadcast(SPECIES, c.oneMinusBeta1());
    FloatVector a2 = FloatVector.broadcast(SPECIES, c.oneMinusBeta2());
    FloatVector decay = FloatVector.broadcast(SPECIES, c.decay());
    FloatVector eps = FloatVector.broadcast(SPECIES, c.epsilon());
    FloatVector lr = FloatVector.broadcast(SPECIES, stepSize);
    FloatVector ahead = FloatVector.zero(SPECIES);
    int thetaAheadOff = tOff + (aheadOff - mOff);
    for (; i <= n - LANES; i += LANES) {
      ahead = FloatVector.fromArray(SPECIES, theta, thetaAheadOff + i)
          .add(FloatVector.fromArray(SPECIES, m, aheadOff + i))
          .add(FloatVector.fromArray(SPECIES, v, aheadOff + i))
          .add(ahead);
      FloatVector value = FloatVector.fromArray(SPECIES, theta, tOff + i);
      FloatVector g = FloatVector.fromArray(SPECIES, grad, gOff + i).add(value.mul(decay));
      FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(b1).add(g.mul(a1));
      FloatVector vi = FloatVector.fromArray(SPECIES, v, mOff + i).mul(b2).add(g.mul(g).mul(a2));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, mOff + i);
      value.sub(mi.mul(lr).div(vi.sqrt().add(eps))).intoArray(theta, tOff + i);
    }
    tail.adam(theta, tOff + i, grad, gOff + i, m, v, mOff + i, n - i, c, stepSize);
    return ZERO.add(ahead).reduceLanes(VectorOperators.ADD);
  }

  @Override
  public void adam(ByteBuffer theta, int tOff, ByteBuffer grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize) {
    if (!BYTE_BUFFER_VECTORS) {
      tail.adam(theta, tOff, grad, gOff, m, v, mOff, n, c, stepSize);
      return;
    }
    int i = 0;
    FloatVector b1 = FloatVector.broadcast(SPECIES, c.beta1());
    FloatVector b2 = FloatVector.broadcast(SPECIES, c.beta2());
    FloatVector a1 = FloatVector.broadcast(SPECIES, c.oneMinusBeta1());
    FloatVector a2 = FloatVector.broadcast(SPECIES, c.oneMinusBeta2());
    FloatVector decay = FloatVector.broadcast(SPECIES, c.decay());
    FloatVector eps = FloatVector.broadcast(SPECIES, c.epsilon());
    FloatVector lr = FloatVector.broadcast(SPECIES, stepSize);
    for (; i <= n - LANES; i += LANES) {
      int tByte = (tOff + i) * Float.BYTES;
      FloatVector value = FloatVector.fromByteBuffer(SPECIES, theta, tByte, NATIVE);
      FloatVector g =
          FloatVector.fromByteBuffer(SPECIES, grad, (gOff + i) * Float.BYTES, NATIVE).add(value.mul(decay));
      FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(b1).add(g.mul(a1));
      FloatVector vi = FloatVector.fromArray(SPECIES, v, mOff + i).mul(b2).add(g.mul(g).mul(a2));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, mOff + i);
      value.sub(mi.mul(lr).div(vi.sqrt().add(eps))).intoByteBuffer(theta, tByte, NATIVE);
    }
    tail.adam(theta, tOff + i, grad, gOff + i, m, v, mOff + i, n - i, c, stepSize);
  }

  @Override
  public void adamRepeat(float[] theta, int tOff, float[] m, float[] v, int mOff, int n, AdamCoefficients c,
      float[] stepSizes, int from, int to) {
    // Blocks of four vectors, each taken through all its steps while it is in L1; within a step the block's vectors
    // are independent, so the core overlaps their square roots and divisions (one vector alone waited on their
    // latency: 1.0 ns per entry and step). θ, m and v go back to the arrays after every step, and no vector is carried
    // from one step to the next on purpose: when four vectors were carried in registers, JDK 17's optimising compiler
    // sometimes typed those loop-carried values as FloatVector rather than as the exact vector class, compiled their
    // operations as calls and boxed every vector of every step — a training step then allocated 58 MB and took 10 ms
    // longer, in about one run in six (a flight recording put all of it in this kernel, on the lines of the carried
    // vectors). The round trips through L1 cost little: the catch-up of 4,370 rows, one thread, 4.2 against 4.0 ms.
    // Every entry sees the same operations in the same order.
    int vectorEnd = n - n % LANES;
    boolean withoutDecay = c.decay() == 0f;
    for (int block = 0; block < vectorEnd; block += REPEAT_BLOCK) {
      int width = Math.min(REPEAT_BLOCK, vectorEnd - block);
      if (withoutDecay) {
        zeroGradientStepsWithoutDecay(theta, tOff + block, m, v, mOff + block, width, c, stepSizes, from, to);
      } else {
        zeroGradientSteps(theta, tOff + block, m, v, mOff + block, width, c, stepSizes, from, to);
      }
    }
    tail.adamRepeat(theta, tOff + vectorEnd, m, v, mOff + vectorEnd, n - vectorEnd, c, stepSizes, from, to);
  }

  /**
   * {@link #adamRepeat} on {@code width} entries (a multiple of the vector length, at most {@link #REPEAT_BLOCK}),
   * step after step.
   */
  private static void zeroGradientSteps(float[] theta, int tOff, float[] m, float[] v, int mOff, int width,
      AdamCoefficients c, float[] stepSizes, int from, int to) {
    FloatVector b1 = FloatVector.broadcast(SPECIES, c.beta1());
    FloatVector b2 = FloatVector.broadcast(SPECIES, c.beta2());
    FloatVector a1 = FloatVector.broadcast(SPECIES, c.oneMinusBeta1());
    FloatVector a2 = FloatVector.broadcast(SPECIES, c.oneMinusBeta2());
    FloatVector decay = FloatVector.broadcast(SPECIES, c.decay());
    FloatVector eps = FloatVector.broadcast(SPECIES, c.epsilon());
    FloatVector zero = ZERO;
    for (int s = from; s < to; s++) {
      FloatVector lr = FloatVector.broadcast(SPECIES, stepSizes[s]);
      for (int i = 0; i < width; i += LANES) {
        FloatVector value = FloatVector.fromArray(SPECIES, theta, tOff + i);
        FloatVector g = value.mul(decay).add(zero);
        FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(b1).add(g.mul(a1));
        FloatVector vi = FloatVector.fromArray(SPECIES, v, mOff + i).mul(b2).add(g.mul(g).mul(a2));
        mi.intoArray(m, mOff + i);
        vi.intoArray(v, mOff + i);
        value.sub(mi.mul(lr).div(vi.sqrt().add(eps))).intoArray(theta, tOff + i);
      }
    }
  }

  /**
   * {@link #zeroGradientSteps} without the L2 term (decay 0, the Mult-VAE default), where the gradient is +0: then
   * {@code (1−β₁)·g} and {@code (1−β₂)·g²} are +0 and the moments become {@code β·m + 0} — the same bits with five
   * vector operations fewer per entry and step.
   */
  private static void zeroGradientStepsWithoutDecay(float[] theta, int tOff, float[] m, float[] v, int mOff,
      int width, AdamCoefficients c, float[] stepSizes, int from, int to) {
    FloatVector b1 = FloatVector.broadcast(SPECIES, c.beta1());
    FloatVector b2 = FloatVector.broadcast(SPECIES, c.beta2());
    FloatVector eps = FloatVector.broadcast(SPECIES, c.epsilon());
    FloatVector zero = ZERO;
    for (int s = from; s < to; s++) {
      FloatVector lr = FloatVector.broadcast(SPECIES, stepSizes[s]);
      for (int i = 0; i < width; i += LANES) {
        FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(b1).add(zero);
        FloatVector vi = FloatVector.fromArray(SPECIES, v, mOff + i).mul(b2).add(zero);
        mi.intoArray(m, mOff + i);
        vi.intoArray(v, mOff + i);
        FloatVector.fromArray(SPECIES, theta, tOff + i)
            .sub(mi.mul(lr).div(vi.sqrt().add(eps)))
            .intoArray(theta, tOff + i);
      }
    }
  }

  @Override
  public void gaussian(long key, float[] out, int off, int n) {
    int seedLo = (int) key;
    int seedHi = (int) (key >>> 32);
    int half = (n + 1) / 2;
    int pairs = n / 2 - (n / 2) % LANES; // pairs done with vectors; the rest by the scalar twin
    // Four passes, each its own method: C2 stops inlining within one method past a node budget, and a vector helper
    // left as a call boxes every vector it takes or returns (the three first passes in one method did: 3.4 kB of
    // garbage per row and up to 6 ms per training step instead of 0.3; the turn in one pass still did in about one
    // run in five, see VectorMath.sinCosOfReduced). Between the passes only arrays cross.
    uniformPairs(seedLo, seedHi, out, off, half, pairs);
    radii(out, off, pairs);
    float[] sinCos = turnScratch(pairs);
    reducedSinCos(out, off + half, pairs, sinCos);
    turns(out, off, half, pairs, sinCos);
    tail.gaussianPairs(seedLo, seedHi, out, off, n, pairs);
  }

  /** This thread's scratch for the turn's two passes: two floats per pair, grown on demand. */
  private static float[] turnScratch(int pairs) {
    float[] scratch = TURN_SCRATCH.get();
    if (scratch.length < 2 * pairs) {
      scratch = new float[2 * pairs];
      TURN_SCRATCH.set(scratch);
    }
    return scratch;
  }

  /** Box–Muller's two uniforms of each pair: the first at {@code off + p}, the second at {@code off + half + p}. */
  private static void uniformPairs(int seedLo, int seedHi, float[] out, int off, int half, int pairs) {
    uniforms(seedLo, seedHi, 0, out, off, pairs);
    uniforms(seedLo, seedHi, 1, out, off + half, pairs);
  }

  /**
   * The uniforms of counters {@code 2p + parity}, {@code p < pairs}, at {@code out[at + p]}: one hash per loop body
   * (with two, C2 ran out of inlining budget and boxed the second one's vectors).
   */
  private static void uniforms(int seedLo, int seedHi, int parity, float[] out, int at, int pairs) {
    IntVector lo = IntVector.broadcast(INT_SPECIES, seedLo);
    IntVector hi = IntVector.broadcast(INT_SPECIES, seedHi);
    IntVector odd = IntVector.broadcast(INT_SPECIES, parity);
    for (int p = 0; p < pairs; p += LANES) {
      IntVector counter = LANE_INDEX.add(IntVector.broadcast(INT_SPECIES, p)).mul(TWO).add(odd);
      VectorMath.uniform(VectorMath.hash(counter, lo, hi)).intoArray(out, at + p);
    }
  }

  /** Replaces each first uniform u by the radius √(−2 ln u). */
  private static void radii(float[] out, int off, int pairs) {
    for (int p = 0; p < pairs; p += LANES) {
      VectorMath.log(FloatVector.fromArray(SPECIES, out, off + p)).mul(-2f).sqrt().intoArray(out, off + p);
    }
  }

  /**
   * The first half of the turn: each second uniform u at {@code uAt + p} is replaced by the sine of its reduced angle;
   * the cosine goes to {@code sinCos[p]} and the quadrant to {@code sinCos[pairs + p]}.
   */
  private static void reducedSinCos(float[] out, int uAt, int pairs, float[] sinCos) {
    for (int p = 0; p < pairs; p += LANES) {
      VectorMath.sinCosOfReduced(out, uAt + p, sinCos, p, pairs + p);
    }
  }

  /** The second half of the turn: each (radius, reduced sine) pair becomes the two normal deviates. */
  private static void turns(float[] out, int off, int half, int pairs, float[] sinCos) {
    for (int p = 0; p < pairs; p += LANES) {
      VectorMath.rotate(out, off + p, off + p + half, sinCos, p, pairs + p);
    }
  }

  @Override
  public void reparameterize(float[] muLogVar, int off, float[] eps, int eOff, float[] sigma, int sOff, float[] z,
      int zOff, int d) {
    int j = 0;
    for (; j <= d - LANES; j += LANES) {
      FloatVector s = VectorMath.exp(FloatVector.fromArray(SPECIES, muLogVar, off + d + j).mul(0.5f));
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
      sum = logVar.neg().add(VectorMath.exp(logVar)).add(mu.mul(mu)).sub(1f).mul(0.5f).add(sum);
    }
    float[] lanes = LANE_SCRATCH.get();
    ZERO.add(sum).intoArray(lanes, 0);
    double total = VectorMath.sumInOrder(lanes);
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
      FloatVector e = VectorMath.exp(FloatVector.fromArray(SPECIES, muLogVar, off + d + j));
      FloatVector.fromArray(SPECIES, grad, off + d + j).add(e.sub(1f).mul(0.5f).mul(scale))
          .intoArray(grad, off + d + j);
    }
    for (; j < d; j++) {
      grad[off + j] += scale * muLogVar[off + j];
      grad[off + d + j] += scale * (0.5f * (FloatMath.exp(muLogVar[off + d + j]) - 1f));
    }
  }

  @Override
  public int panelWidth() {
    return 2 * LANES;
  }

  /**
   * Rows in groups of 8, then 4, 2 and 1, each group in one sweep over the panel with two accumulators per row (16 for
   * eight rows, which keeps both FMA units busy while the panel's two vectors and the rows' broadcasts are loaded).
   * Hand-written rather than OpenBLAS because the panel is packed once for the model's life: OpenBLAS repacks its
   * operand on every call, and at a service's batch sizes (a few to a few dozen users) that copy of the 600 × items
   * output weight cost more than the arithmetic (measured, see {@link ColumnPanels}). The four group sizes are
   * written out one method each, alike by design: a vector kept in an array, or passed to a method that C2 does not
   * inline, is boxed, so every accumulator has to be a local variable of the loop that updates it.
   */
  @Override
  public void panelProduct(
      float[] a, int rows, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride) {
    int r = 0;
    for (; r + 8 <= rows; r += 8) {
      panelRows8(a, r * depth, depth, panel, panelOff, init, initOff, out, outOff + r * outStride, outStride);
    }
    if (r + 4 <= rows) {
      panelRows4(a, r * depth, depth, panel, panelOff, init, initOff, out, outOff + r * outStride, outStride);
      r += 4;
    }
    if (r + 2 <= rows) {
      panelRows2(a, r * depth, depth, panel, panelOff, init, initOff, out, outOff + r * outStride, outStride);
      r += 2;
    }
    if (r < rows) {
      panelRows1(a, r * depth, depth, panel, panelOff, init, initOff, out, outOff + r * outStride, outStride);
    }
  }

  /** {@link #panelProduct} for 8 rows of {@code a} from {@code aOff}, written from {@code outOff}. */
  private static void panelRows8(
      float[] a, int aOff, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride) {
    FloatVector init0 = FloatVector.fromArray(SPECIES, init, initOff);
    FloatVector init1 = FloatVector.fromArray(SPECIES, init, initOff + LANES);
    FloatVector c00 = init0;
    FloatVector c01 = init1;
    FloatVector c10 = init0;
    FloatVector c11 = init1;
    FloatVector c20 = init0;
    FloatVector c21 = init1;
    FloatVector c30 = init0;
    FloatVector c31 = init1;
    FloatVector c40 = init0;
    FloatVector c41 = init1;
    FloatVector c50 = init0;
    FloatVector c51 = init1;
    FloatVector c60 = init0;
    FloatVector c61 = init1;
    FloatVector c70 = init0;
    FloatVector c71 = init1;
    int a0 = aOff;
    int a1 = aOff + 1 * depth;
    int a2 = aOff + 2 * depth;
    int a3 = aOff + 3 * depth;
    int a4 = aOff + 4 * depth;
    int a5 = aOff + 5 * depth;
    int a6 = aOff + 6 * depth;
    int a7 = aOff + 7 * depth;
    for (int k = 0; k < depth; k++) {
      int p = panelOff + k * (2 * LANES); // not a second induction variable: C2 then keeps range checks in the loop
      FloatVector w0 = FloatVector.fromArray(SPECIES, panel, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, panel, p + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + k]);
      c00 = w0.fma(x0, c00);
      c01 = w1.fma(x0, c01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + k]);
      c10 = w0.fma(x1, c10);
      c11 = w1.fma(x1, c11);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + k]);
      c20 = w0.fma(x2, c20);
      c21 = w1.fma(x2, c21);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + k]);
      c30 = w0.fma(x3, c30);
      c31 = w1.fma(x3, c31);
      FloatVector x4 = FloatVector.broadcast(SPECIES, a[a4 + k]);
      c40 = w0.fma(x4, c40);
      c41 = w1.fma(x4, c41);
      FloatVector x5 = FloatVector.broadcast(SPECIES, a[a5 + k]);
      c50 = w0.fma(x5, c50);
      c51 = w1.fma(x5, c51);
      FloatVector x6 = FloatVector.broadcast(SPECIES, a[a6 + k]);
      c60 = w0.fma(x6, c60);
      c61 = w1.fma(x6, c61);
      FloatVector x7 = FloatVector.broadcast(SPECIES, a[a7 + k]);
      c70 = w0.fma(x7, c70);
      c71 = w1.fma(x7, c71);
    }
    NEGATIVE_ZERO.add(c00).intoArray(out, outOff);
    NEGATIVE_ZERO.add(c01).intoArray(out, outOff + LANES);
    NEGATIVE_ZERO.add(c10).intoArray(out, outOff + 1 * outStride);
    NEGATIVE_ZERO.add(c11).intoArray(out, outOff + 1 * outStride + LANES);
    NEGATIVE_ZERO.add(c20).intoArray(out, outOff + 2 * outStride);
    NEGATIVE_ZERO.add(c21).intoArray(out, outOff + 2 * outStride + LANES);
    NEGATIVE_ZERO.add(c30).intoArray(out, outOff + 3 * outStride);
    NEGATIVE_ZERO.add(c31).intoArray(out, outOff + 3 * outStride + LANES);
    NEGATIVE_ZERO.add(c40).intoArray(out, outOff + 4 * outStride);
    NEGATIVE_ZERO.add(c41).intoArray(out, outOff + 4 * outStride + LANES);
    NEGATIVE_ZERO.add(c50).intoArray(out, outOff + 5 * outStride);
    NEGATIVE_ZERO.add(c51).intoArray(out, outOff + 5 * outStride + LANES);
    NEGATIVE_ZERO.add(c60).intoArray(out, outOff + 6 * outStride);
    NEGATIVE_ZERO.add(c61).intoArray(out, outOff + 6 * outStride + LANES);
    NEGATIVE_ZERO.add(c70).intoArray(out, outOff + 7 * outStride);
    NEGATIVE_ZERO.add(c71).intoArray(out, outOff + 7 * outStride + LANES);
  }

  /** {@link #panelProduct} for 4 rows of {@code a} from {@code aOff}, written from {@code outOff}. */
  private static void panelRows4(
      float[] a, int aOff, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride) {
    FloatVector init0 = FloatVector.fromArray(SPECIES, init, initOff);
    FloatVector init1 = FloatVector.fromArray(SPECIES, init, initOff + LANES);
    FloatVector c00 = init0;
    FloatVector c01 = init1;
    FloatVector c10 = init0;
    FloatVector c11 = init1;
    FloatVector c20 = init0;
    FloatVector c21 = init1;
    FloatVector c30 = init0;
    FloatVector c31 = init1;
    int a0 = aOff;
    int a1 = aOff + 1 * depth;
    int a2 = aOff + 2 * depth;
    int a3 = aOff + 3 * depth;
    for (int k = 0; k < depth; k++) {
      int p = panelOff + k * (2 * LANES); // not a second induction variable: C2 then keeps range checks in the loop
      FloatVector w0 = FloatVector.fromArray(SPECIES, panel, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, panel, p + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + k]);
      c00 = w0.fma(x0, c00);
      c01 = w1.fma(x0, c01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + k]);
      c10 = w0.fma(x1, c10);
      c11 = w1.fma(x1, c11);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + k]);
      c20 = w0.fma(x2, c20);
      c21 = w1.fma(x2, c21);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + k]);
      c30 = w0.fma(x3, c30);
      c31 = w1.fma(x3, c31);
    }
    NEGATIVE_ZERO.add(c00).intoArray(out, outOff);
    NEGATIVE_ZERO.add(c01).intoArray(out, outOff + LANES);
    NEGATIVE_ZERO.add(c10).intoArray(out, outOff + 1 * outStride);
    NEGATIVE_ZERO.add(c11).intoArray(out, outOff + 1 * outStride + LANES);
    NEGATIVE_ZERO.add(c20).intoArray(out, outOff + 2 * outStride);
    NEGATIVE_ZERO.add(c21).intoArray(out, outOff + 2 * outStride + LANES);
    NEGATIVE_ZERO.add(c30).intoArray(out, outOff + 3 * outStride);
    NEGATIVE_ZERO.add(c31).intoArray(out, outOff + 3 * outStride + LANES);
  }

  /** {@link #panelProduct} for 2 rows of {@code a} from {@code aOff}, written from {@code outOff}. */
  private static void panelRows2(
      float[] a, int aOff, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride) {
    FloatVector init0 = FloatVector.fromArray(SPECIES, init, initOff);
    FloatVector init1 = FloatVector.fromArray(SPECIES, init, initOff + LANES);
    FloatVector c00 = init0;
    FloatVector c01 = init1;
    FloatVector c10 = init0;
    FloatVector c11 = init1;
    int a0 = aOff;
    int a1 = aOff + 1 * depth;
    for (int k = 0; k < depth; k++) {
      int p = panelOff + k * (2 * LANES); // not a second induction variable: C2 then keeps range checks in the loop
      FloatVector w0 = FloatVector.fromArray(SPECIES, panel, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, panel, p + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + k]);
      c00 = w0.fma(x0, c00);
      c01 = w1.fma(x0, c01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + k]);
      c10 = w0.fma(x1, c10);
      c11 = w1.fma(x1, c11);
    }
    NEGATIVE_ZERO.add(c00).intoArray(out, outOff);
    NEGATIVE_ZERO.add(c01).intoArray(out, outOff + LANES);
    NEGATIVE_ZERO.add(c10).intoArray(out, outOff + 1 * outStride);
    NEGATIVE_ZERO.add(c11).intoArray(out, outOff + 1 * outStride + LANES);
  }

  /** {@link #panelProduct} for 1 row of {@code a} from {@code aOff}, written from {@code outOff}. */
  private static void panelRows1(
      float[] a, int aOff, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride) {
    FloatVector init0 = FloatVector.fromArray(SPECIES, init, initOff);
    FloatVector init1 = FloatVector.fromArray(SPECIES, init, initOff + LANES);
    FloatVector c00 = init0;
    FloatVector c01 = init1;
    int a0 = aOff;
    for (int k = 0; k < depth; k++) {
      int p = panelOff + k * (2 * LANES); // not a second induction variable: C2 then keeps range checks in the loop
      FloatVector w0 = FloatVector.fromArray(SPECIES, panel, p);
      FloatVector w1 = FloatVector.fromArray(SPECIES, panel, p + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + k]);
      c00 = w0.fma(x0, c00);
      c01 = w1.fma(x0, c01);
    }
    NEGATIVE_ZERO.add(c00).intoArray(out, outOff);
    NEGATIVE_ZERO.add(c01).intoArray(out, outOff + LANES);
  }

  @Override
  public boolean vectorized() {
    return true;
  }
}
