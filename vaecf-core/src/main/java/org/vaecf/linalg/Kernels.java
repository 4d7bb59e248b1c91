package org.vaecf.linalg;

import java.nio.ByteBuffer;
import org.slf4j.LoggerFactory;

/**
 * The elementwise kernels of a training step, mostly on heap float arrays: softmax pieces, tanh, axpy and Adam.
 *
 * <p>Two implementations: {@link VectorKernels} over the JDK Vector API (SIMD; {@code exp} alone is ~18× faster
 * than {@code Math.exp}, and it is 10 million calls per step at ML-20M's shape), used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (the {@code ./vaecf} launcher and the tests do), and
 * {@link ScalarKernels}, plain loops, used otherwise. The Vector API is used mostly through heap arrays
 * ({@code fromArray}/{@code intoArray}), which behave the same on every JDK from 17 on; callers copy off-heap data
 * in row-sized chunks that stay in cache. Where that copy costs more than the kernel (Adam on the output layer's
 * weight, the likelihood's passes over the logits), a kernel reads and writes direct memory through
 * {@code fromByteBuffer}/{@code intoByteBuffer}, the Vector API's calls for it on JDK 17 and 18; on a JDK without them
 * those kernels run the scalar loops.
 *
 * <p>Adam uses only +, ×, ÷ and √, which IEEE-754 rounds identically in SIMD and scalar code, so both
 * implementations, and a row updated late by {@link #adamRepeat}, give bit-identical parameters.
 */
public interface Kernels {
  /** The vectorised kernels if the Vector API module is present, else the scalar ones. */
  static Kernels best() {
    return Holder.BEST;
  }

  /** The largest of {@code a[from..to)} ({@code -∞} when empty). */
  float max(float[] a, int from, int to);

  /**
   * Finds the indexes {@code i} in {@code [from, to)} with {@code a[i] > threshold}, in increasing order, writing the
   * first {@code out.length} of them to {@code out}; returns how many there are (more than {@code out.length} when
   * they did not fit). NaN entries are never above. The filter in front of a top-k selection: most of a row is
   * below the threshold and is passed over a vector at a time.
   */
  int indexesAbove(float[] a, int from, int to, float threshold, int[] out);

  /** Writes {@code out[i] = exp(a[i] − shift)} for {@code i} in {@code [from, to)} and returns their sum. */
  double expShiftSum(float[] a, float[] out, int from, int to, float shift);

  /** {@code Σ exp(a[i] − shift)} over {@code [from, to)}, writing nothing (a softmax normaliser). */
  double sumExpShift(float[] a, int from, int to, float shift);

  /** {@code a[i] *= factor} for {@code i} in {@code [from, to)}. */
  void scale(float[] a, int from, int to, float factor);

  /** {@code y[yOff + i] += alpha · x[xOff + i]} for {@code i < n}. */
  void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

  /**
   * {@code sum[sumOff + j] += weights[k] · rows[indexes[k]·width + j]} for each {@code k} in {@code [from, to)} in
   * order, and each {@code j < width}: a weighted sum of rows of a row-major matrix picked by index (the sparse first
   * layer). The same arithmetic as one {@link #axpy} per {@code k}, but several rows are read at once, so their
   * fetches from memory overlap instead of waiting one after the other.
   */
  void gatherSum(float[] rows, int width, int[] indexes, float[] weights, int from, int to, float[] sum, int sumOff);

  /** Columns in one panel of {@link #panelProduct}: two vectors' worth for the SIMD kernels. */
  int panelWidth();

  /**
   * One panel of a product whose right operand is packed in panels of {@link #panelWidth()} columns ({@link
   * ColumnPanels}): for each row {@code r < rows} and column {@code j < panelWidth()},
   * {@code out[outOff + r·outStride + j] = init[initOff + j] + Σ_k a[r·depth + k] · panel[panelOff + k·panelWidth() + j]},
   * the sum taken in the order of {@code k}, one fused multiply-add per term. So an entry depends only on its own row
   * of {@code a}, never on the rows beside it nor on how rows are grouped, and the scalar and SIMD kernels agree bit
   * for bit. Whole panels only: the caller handles a last, narrower one through a scratch array.
   */
  void panelProduct(
      float[] a, int rows, int depth, float[] panel, int panelOff, float[] init, int initOff, float[] out, int outOff,
      int outStride);

  /**
   * {@code out[i] = source[offset + i] + b[i]} for {@code i < n}, with {@code source} in direct memory
   * ({@link Matrix#bytes()}, offset in floats); returns the largest {@code out[i]} (−∞ when {@code n == 0}). The
   * first pass of the likelihood over a row of logits: it loads the row into cache-resident scratch while adding the
   * bias, instead of copying it first.
   */
  float loadAddMax(ByteBuffer source, int offset, float[] b, float[] out, int n);

  /**
   * {@code x = a[i] · factor; sum[i] += x; out[offset + i] = x} for {@code i < n}, with {@code out} in direct memory
   * (offset in floats); {@code a} is left as it was. The likelihood's last pass: the row's gradient goes straight
   * back to the logits' memory while the bias gradient sums it.
   */
  void scaleAccumulateStore(float[] a, float factor, float[] sum, ByteBuffer out, int offset, int n);

  /**
   * The likelihood's three passes, each on a different row, in one sweep over the columns: {@link #loadAddMax} of
   * {@code source} at {@code loadOffset} into {@code loadRow} (its largest value written to {@code loadedMax[0]}),
   * {@link #expShiftSum} of {@code expRow} in place with {@code shift} (the returned sum), and
   * {@link #scaleAccumulateStore} of {@code storeRow} times {@code factor} into {@code sum} and {@code out} at
   * {@code storeOffset}. The same bits as the three calls one after the other; run together, one row's read from
   * memory and another's write go on while the core computes the third row's exponentials, which the separate
   * passes left to wait for each other. {@code shift} must be at least the largest value of {@code expRow} (the
   * likelihood passes the row's maximum), so that no exponent is positive: the SIMD kernel skips the upper clamp.
   */
  double loadExpStore(
      ByteBuffer source, int loadOffset, float[] b, float[] loadRow, float[] loadedMax, float[] expRow, float shift,
      float[] storeRow, float factor, float[] sum, ByteBuffer out, int storeOffset, int n);

  /**
   * {@code out[i] = tanh(in[i])} for {@code off <= i < off + n}, both in direct memory ({@link Matrix#bytes()},
   * indexes in floats): the activations of the inner layers live there for OpenBLAS.
   */
  void tanh(ByteBuffer in, ByteBuffer out, int off, int n);

  /** {@code dx[i] = dy[i] · (1 − y[i]²)} for {@code off <= i < off + n}, all three in direct memory. */
  void tanhBackward(ByteBuffer y, ByteBuffer dy, ByteBuffer dx, int off, int n);

  /**
   * One Adam step on {@code n} entries: {@code g = grad + decay·θ}; {@code m ← β₁m + (1−β₁)g};
   * {@code v ← β₂v + (1−β₂)g²}; {@code θ ← θ − stepSize·m/(√v + ε)}. {@code theta} starts at {@code tOff},
   * {@code grad} at {@code gOff}, the moments at {@code mOff}.
   */
  void adam(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize);

  /**
   * {@link #adam(float[], int, float[], int, float[], float[], int, int, AdamCoefficients, float) adam} that also reads
   * {@code n} entries of {@code m} and {@code v} at {@code aheadOff}, and of {@code theta} as far past {@code tOff} as
   * {@code aheadOff} is past {@code mOff} — the row the caller updates next — while this row's arithmetic waits on √ and ÷, so that the next row's cache misses are under way before it
   * starts. A row of the first layer is 2.4 kB, a stretch too short for the hardware prefetcher to get ahead of its
   * misses (measured at ML-20M's shape, in one process, alternating steps: the first layer's row updates 6.16 → 5.48
   * and 5.94 → 5.42 ms per step). The reads change nothing; the returned value is computed from them only so that the
   * compiler keeps them, and callers discard it. The same bits as {@code adam}.
   */
  float adamReadingAhead(float[] theta, int tOff, float[] grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize, int aheadOff);

  /**
   * {@link #adam(float[], int, float[], int, float[], float[], int, int, AdamCoefficients, float) adam} with θ and the
   * gradient in direct memory ({@link Matrix#bytes()}; offsets count floats), updated in place: the output layer's
   * weight lives there for OpenBLAS, and copying its entries through a heap array cost more than the update itself
   * (measured on the 600 × 20,108 output weight, two threads: 10.1 ms with copies, 7.5 ms without; a plain copy of two
   * arrays of that size takes 7.1 ms). The same arithmetic, so the same bits.
   */
  void adam(ByteBuffer theta, int tOff, ByteBuffer grad, int gOff, float[] m, float[] v, int mOff, int n,
      AdamCoefficients c, float stepSize);

  /**
   * Adam steps with a zero loss gradient (only the L2 term {@code decay·θ}), once for each of {@code stepSizes[from..to)}
   * in order: what dense Adam does to a row that no batch touched, applied when the row is next needed.
   */
  void adamRepeat(float[] theta, int tOff, float[] m, float[] v, int mOff, int n, AdamCoefficients c,
      float[] stepSizes, int from, int to);

  /**
   * Fills {@code out[off..off+n)} with standard normal draws determined by {@code key} alone: the first half are
   * {@code r·cos θ}, the second half {@code r·sin θ} of Box–Muller pairs, where the uniforms come from a
   * counter-based hash of {@code (key, index)} (so any row's noise can be drawn independently of the others).
   * Implementations agree in distribution, not necessarily to the last bit.
   */
  void gaussian(long key, float[] out, int off, int n);

  /**
   * The reparameterization of one row: {@code σ = exp(½·logVar)}, {@code z = µ + ε ⊙ σ}, where the row
   * {@code muLogVar[off..off+2d)} is {@code [µ | log σ²]}; writes {@code sigma[sOff..sOff+d)} and
   * {@code z[zOff..zOff+d)}.
   */
  void reparameterize(float[] muLogVar, int off, float[] eps, int eOff, float[] sigma, int sOff, float[] z, int zOff,
      int d);

  /**
   * The reparameterization's backward pass for one row: {@code ∂µ = ∂z}, {@code ∂logVar = ∂z ⊙ ε ⊙ ½σ}, written to
   * {@code grad[off..off+2d)}.
   */
  void reparameterizeBackward(float[] dz, int zOff, float[] eps, int eOff, float[] sigma, int sOff, float[] grad,
      int off, int d);

  /** {@code Σ_j ½(−logVar_j + exp(logVar_j) + µ_j² − 1)} for the row {@code [µ | log σ²]} at {@code off}. */
  double gaussianKl(float[] muLogVar, int off, int d);

  /**
   * Adds {@code scale · ∂KL/∂[µ | log σ²]} of one row to {@code grad[off..off+2d)}: {@code scale·µ} and
   * {@code scale·½(exp(logVar) − 1)}.
   */
  void addGaussianKlGradient(float[] muLogVar, int off, float[] grad, int d, float scale);

  /** Whether this implementation uses SIMD. */
  boolean vectorized();

  /** Chooses once, without loading the vector classes when their module is absent. */
  final class Holder {
    static final Kernels BEST = choose();

    private Holder() {}

    private static Kernels choose() {
      boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
      if (present) {
        boolean compiledAlone =
            java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.contains("org.vaecf.linalg.VectorKernels::"));
        if (!compiledAlone) {
          LoggerFactory.getLogger(Kernels.class)
              .info("for steady SIMD speed pass {} to the JVM (./vaecf does; see VectorKernels)",
                  VectorKernels.COMPILE_COMMAND);
        }
        return new VectorKernels();
      }
      LoggerFactory.getLogger(Kernels.class)
          .warn("the JDK Vector API is not enabled (--add-modules jdk.incubator.vector): using scalar kernels, "
              + "training will be slower");
      return new ScalarKernels();
    }
  }
}
