package org.vaecf.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Dense products through OpenBLAS on {@link Matrix} operands. Transposes are passed to BLAS as flags, never copied.
 * Shapes are the matrices' rows in use.
 *
 * <p>OpenBLAS reads {@code OPENBLAS_THREAD_TIMEOUT} when it loads; without a small value its idle threads busy-wait
 * after every call and take the cores from the elementwise loops that follow (a third of a training step's
 * non-product time on 2 cores). The launcher and the test configuration set it to 4.
 */
public final class Blas {
  static {
    if (System.getenv("OPENBLAS_THREAD_TIMEOUT") == null) {
      org.slf4j.LoggerFactory.getLogger(Blas.class)
          .info("OPENBLAS_THREAD_TIMEOUT is not set: OpenBLAS threads will spin after each product and slow the "
              + "Java loops that follow; export OPENBLAS_THREAD_TIMEOUT=4 (./vaecf does)");
    }
  }

  private Blas() {}

  /**
   * {@code c = alpha · op(a) · op(b) + beta · c}, where {@code op(x)} is {@code x} or its transpose. A product with
   * one row of {@code op(a)} goes to sgemv (about 3× faster there), all others to sgemm.
   *
   * @throws IllegalArgumentException if the shapes do not agree
   */
  public static void gemm(
      boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
    checkShapes(transposeA, transposeB, a, b, c);
    int m = transposeA ? a.cols() : a.rows();
    int k = transposeA ? a.rows() : a.cols();
    int n = transposeB ? b.rows() : b.cols();
    if (m == 0 || n == 0) {
      return;
    }
    if (m == 1 && !transposeA && k > 0) {
      // One row (a user scored alone): sgemv streams b once, while sgemm first copies all of b into packed panels;
      // for the decoder's 600 × 20,108 output weight that makes the lone row three to four times slower. sgemv sums
      // in another order, so this row may differ in the last bits from the same row inside a larger product.
      sgemvRow(transposeB, alpha, a, b, beta, c, 0, n, k);
      return;
    }
    sgemm(transposeA, transposeB, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
  }

  /**
   * {@link #gemm} with the product split over {@code parallel}'s threads when OpenBLAS itself runs one thread: each
   * thread computes a block of rows or of columns of {@code c} as a one-thread product, on its own core. On this
   * project's 2-core machine two one-thread products side by side run faster than one product on OpenBLAS's two
   * threads at the model's shapes (measured by {@code bench train} at 500 × 600 × 20,108: 290 against 265 GFLOP/s),
   * and the Java threads are the same that run the elementwise loops, so nothing is oversubscribed. The split is by
   * rows of {@code c} when {@code op(a)} is the larger operand (each thread then reads its share of it and all of
   * {@code op(b)}), else by columns (64-byte aligned). It depends only on the shapes and the thread count, so the
   * result does too; it may differ from the whole product's in the last bits, as OpenBLAS picks its kernels by size.
   *
   * <p>When OpenBLAS runs more than one thread ({@link #setThreads}), or {@code parallel} has one, this is
   * {@link #gemm}.
   */
  public static void gemm(
      Parallel parallel, boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta,
      Matrix c) {
    int m = transposeA ? a.cols() : a.rows();
    int k = transposeA ? a.rows() : a.cols();
    int n = transposeB ? b.rows() : b.cols();
    if (!splitsOver(parallel) || m <= 1 || (long) m * n * k < SPLIT_MIN_FLOPS) {
      gemm(transposeA, transposeB, alpha, a, b, beta, c);
      return;
    }
    checkShapes(transposeA, transposeB, a, b, c);
    if (m > n) {
      parallel.forChunks(
          m, 1, (chunk, from, to) -> gemmRows(transposeA, transposeB, alpha, a, b, beta, c, from, to, k, n));
    } else {
      int blocks = (n + COLUMN_ALIGNMENT - 1) / COLUMN_ALIGNMENT;
      parallel.forChunks(
          blocks,
          1,
          (chunk, from, to) ->
              gemmColumns(transposeA, transposeB, alpha, a, b, beta, c, from * COLUMN_ALIGNMENT,
                  Math.min(n, to * COLUMN_ALIGNMENT), m, k));
    }
  }

  /**
   * Whether products are split over {@code parallel}'s threads by the calling code rather than over OpenBLAS's own:
   * true when {@code parallel} has more than one thread and OpenBLAS runs one. Code that runs one-thread products
   * inside its own parallel loops ({@link #gemmRowRange}, {@link #gemmColumnBlock}) should do so only when OpenBLAS
   * runs one thread, else the two sets of threads fight over the cores.
   */
  public static boolean splitsOver(Parallel parallel) {
    return parallel.threads() > 1 && threads() == 1;
  }

  /**
   * Rows {@code [from, to)} of {@code c = alpha · op(a) · op(b) + beta · c}, as one product on the calling thread (for
   * a parallel loop that owns those rows).
   */
  public static void gemmRowRange(
      boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c, int from,
      int to) {
    checkShapes(transposeA, transposeB, a, b, c);
    checkRange(from, to, c.rows(), "rows");
    if (to > from && c.cols() > 0) {
      gemmRows(transposeA, transposeB, alpha, a, b, beta, c, from, to, transposeA ? a.rows() : a.cols(), c.cols());
    }
  }

  /**
   * Columns {@code [from, to)} of {@code c = alpha · op(a) · op(b) + beta · c}, as one product on the calling thread
   * (for a parallel loop that owns those columns).
   */
  public static void gemmColumnRange(
      boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c, int from,
      int to) {
    checkShapes(transposeA, transposeB, a, b, c);
    checkRange(from, to, c.cols(), "columns");
    if (c.rows() > 0) {
      gemmColumns(transposeA, transposeB, alpha, a, b, beta, c, from, to, c.rows(), transposeA ? a.rows() : a.cols());
    }
  }

  /**
   * {@code block = alpha · op(a) · b[:, from..to)}: the product's columns {@code [from, to)} written to the first
   * {@code to − from} columns of {@code block} (which has {@code op(a)}'s rows), as one product on the calling thread.
   */
  public static void gemmColumnBlock(boolean transposeA, float alpha, Matrix a, Matrix b, int from, int to,
      Matrix block) {
    int m = transposeA ? a.cols() : a.rows();
    int k = transposeA ? a.rows() : a.cols();
    if (k != b.rows() || block.rows() != m || from < 0 || to > b.cols() || to - from > block.cols()) {
      throw new IllegalArgumentException(
          "column block [" + from + ", " + to + ") of op(a) " + m + "x" + k + " · b " + b.rows() + "x" + b.cols()
              + " does not fit a " + block.rows() + "x" + block.cols() + " block");
    }
    if (to <= from || m == 0) {
      return;
    }
    sgemm(transposeA, false, m, to - from, k, alpha, a, 0, b, from, 0f, block, 0);
  }

  /**
   * {@code c = alpha · op(a)[:, from..to) · op(b)[from..to, :] + beta · c}: the product over the inner indexes
   * {@code [from, to)} only, as one product on the calling thread — a share of a product split along its inner
   * dimension, whose partial results the caller adds. An empty range leaves {@code beta · c}.
   */
  public static void gemmInnerRange(
      boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c, int from,
      int to) {
    checkShapes(transposeA, transposeB, a, b, c);
    checkRange(from, to, transposeA ? a.rows() : a.cols(), "inner indexes");
    if (c.rows() == 0 || c.cols() == 0) {
      return;
    }
    if (to == from) {
      scale(beta, c);
      return;
    }
    // column k of op(a) is column k of a, or row k of a when transposed; row k of op(b) is row k of b, or column k
    long aOffset = transposeA ? (long) from * a.cols() : from;
    long bOffset = transposeB ? from : (long) from * b.cols();
    sgemm(transposeA, transposeB, c.rows(), c.cols(), to - from, alpha, a, aOffset, b, bOffset, beta, c, 0);
  }

  /** {@code y = alpha · x + y} over the entries in use of two matrices of the same shape. */
  public static void axpy(float alpha, Matrix x, Matrix y) {
    if (x.rows() != y.rows() || x.cols() != y.cols()) {
      throw new IllegalArgumentException(
          "axpy shapes differ: " + x.rows() + "x" + x.cols() + " and " + y.rows() + "x" + y.cols());
    }
    if (x.size() > 0) {
      openblas.cblas_saxpy(x.size(), alpha, x.pointer(), 1, y.pointer(), 1);
    }
  }

  /** {@code c = beta · c} (zero for {@code beta == 0}, whatever {@code c} held, as BLAS does). */
  private static void scale(float beta, Matrix c) {
    if (beta == 1f) {
      return;
    }
    FloatBuffer values = c.buffer();
    for (int i = 0; i < c.size(); i++) {
      values.put(i, beta == 0f ? 0f : beta * values.get(i));
    }
  }

  /** Columns per alignment unit of a column split: 16 floats, one cache line. */
  private static final int COLUMN_ALIGNMENT = 16;

  /** Products smaller than this (16 M multiply-adds, about 0.1 ms on one core) are not worth a hand-over. */
  private static final long SPLIT_MIN_FLOPS = 1L << 24;

  /** Rows {@code [from, to)} of {@code c = alpha · op(a) · op(b) + beta · c} on this thread. */
  private static void gemmRows(
      boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c, int from,
      int to, int k, int n) {
    // row r of op(a) is row r of a, or column r of a when transposed
    long aOffset = transposeA ? from : (long) from * a.cols();
    sgemm(transposeA, transposeB, to - from, n, k, alpha, a, aOffset, b, 0, beta, c, (long) from * c.cols());
  }

  /** Columns {@code [from, to)} of {@code c = alpha · op(a) · op(b) + beta · c} on this thread. */
  private static void gemmColumns(
      boolean transposeA, boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c, int from,
      int to, int m, int k) {
    if (to <= from) {
      return;
    }
    // column j of op(b) is column j of b, or row j of b when transposed
    long bOffset = transposeB ? (long) from * b.cols() : from;
    if (m == 1 && !transposeA && k > 0) {
      sgemvRow(transposeB, alpha, a, b, beta, c, from, to, k); // one row: sgemv streams b once (see gemm)
      return;
    }
    sgemm(transposeA, transposeB, m, to - from, k, alpha, a, 0, b, bOffset, beta, c, from);
  }

  /** Columns {@code [from, to)} of the one-row product {@code c = alpha · a · op(b) + beta · c}, by sgemv. */
  private static void sgemvRow(
      boolean transposeB, float alpha, Matrix a, Matrix b, float beta, Matrix c, int from, int to, int k) {
    long bOffset = transposeB ? (long) from * b.cols() : from;
    openblas.cblas_sgemv(
        CblasRowMajor,
        transposeB ? CblasNoTrans : CblasTrans,
        transposeB ? to - from : k,
        transposeB ? k : to - from,
        alpha,
        bOffset == 0 ? b.pointer() : offset(b, bOffset),
        Math.max(1, b.cols()),
        a.pointer(),
        1,
        beta,
        from == 0 ? c.pointer() : offset(c, from),
        1);
  }

  /**
   * {@code c = alpha · op(a) · op(b) + beta · c} for {@code m × n} of {@code c} and inner size {@code k}, each operand
   * starting {@code …Offset} floats into its matrix and keeping the matrix's row length as its leading dimension.
   */
  private static void sgemm(
      boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, Matrix a, long aOffset, Matrix b,
      long bOffset, float beta, Matrix c, long cOffset) {
    openblas.cblas_sgemm(
        CblasRowMajor,
        transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans,
        m,
        n,
        k,
        alpha,
        aOffset == 0 ? a.pointer() : offset(a, aOffset),
        Math.max(1, a.cols()),
        bOffset == 0 ? b.pointer() : offset(b, bOffset),
        Math.max(1, b.cols()),
        beta,
        cOffset == 0 ? c.pointer() : offset(c, cOffset),
        Math.max(1, c.cols()));
  }

  /** A pointer {@code elements} floats into {@code matrix} (a new pointer object: the matrix's own is shared). */
  static FloatPointer offset(Matrix matrix, long elements) {
    return new FloatPointer(matrix.pointer()).position(matrix.pointer().position() + elements);
  }

  private static void checkRange(int from, int to, int size, String what) {
    if (from < 0 || to > size || from > to) {
      throw new IllegalArgumentException(what + " [" + from + ", " + to + ") outside a matrix of " + size);
    }
  }

  private static void checkShapes(boolean transposeA, boolean transposeB, Matrix a, Matrix b, Matrix c) {
    int m = transposeA ? a.cols() : a.rows();
    int k = transposeA ? a.rows() : a.cols();
    int kb = transposeB ? b.cols() : b.rows();
    int n = transposeB ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException(
          "gemm shapes do not agree: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n + ", c " + c.rows() + "x"
              + c.cols());
    }
  }

  /**
   * {@code y = alpha · aᵀ · x + beta · y} for a row-major {@code a} (rows × cols), {@code y} with {@code a.cols()}
   * entries and {@code x} with at least {@code a.rows()} entries, of which the first {@code a.rows()} are read (so
   * one vector of ones serves every batch size). Used for column sums.
   */
  public static void gemvTransposed(float alpha, Matrix a, Matrix x, float beta, Matrix y) {
    if (x.size() < a.rows() || y.size() != a.cols()) {
      throw new IllegalArgumentException(
          "gemv shapes do not agree: a " + a.rows() + "x" + a.cols() + ", x " + x.size() + ", y " + y.size());
    }
    if (a.cols() == 0) {
      return;
    }
    if (a.rows() == 0) {
      for (int j = 0; j < y.size(); j++) {
        y.buffer().put(j, beta * y.buffer().get(j));
      }
      return;
    }
    openblas.cblas_sgemv(
        CblasRowMajor, CblasTrans, a.rows(), a.cols(), alpha, a.pointer(), a.cols(), x.pointer(), 1, beta,
        y.pointer(), 1);
  }

  /**
   * Sets the number of threads OpenBLAS uses for every later call (process-wide). Setting the count it has already
   * been set to returns at once: JavaCPP's setter looks up four vendors' symbols through its class loader on every
   * call (measured: a benchmark that restored the count between training steps kept the JIT compiling that lookup
   * code during the steps it timed).
   */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (openblas.blas_get_num_threads() != threads) { // -1 until the first set: the environment's count is unknown
      openblas.blas_set_num_threads(threads);
    }
  }

  /**
   * The OpenBLAS library file the products run on, as JavaCPP loaded it (empty if it cannot tell). By default that is
   * the build bundled with the {@code org.bytedeco:openblas} artifact: one binary for every machine, which picks its
   * kernels by processor, so machines of one kind multiply to the same bits. The JVM option
   * {@code -Dorg.bytedeco.openblas.load=openblas} (what {@code VAECF_BLAS=system ./vaecf} passes) makes JavaCPP load
   * the system's {@code libopenblas.so} instead (on Debian, from {@code libopenblas-pthread-dev}), which it copies into
   * its cache under the bundled library's name: the path then lies outside the artifact's directory. Builds of one
   * OpenBLAS version differ in speed (see the README's "Which OpenBLAS build").
   */
  public static String library() {
    threads(); // calls into the library, so JavaCPP has loaded it
    java.util.Map<String, String> loaded = Loader.getLoadedLibraries();
    // keys are "name@.version"; cblas_sgemm and the thread setters are declared in the openblas_nolapack class, whose
    // JNI library links "openblas_nolapack" (the openblas class, when loaded, adds LAPACK's library beside it)
    for (String name : new String[] {"openblas_nolapack@", "openblas@"}) {
      for (java.util.Map.Entry<String, String> library : loaded.entrySet()) {
        if (library.getKey().startsWith(name)) {
          return library.getValue();
        }
      }
    }
    return "";
  }

  /**
   * The number of threads OpenBLAS currently uses. Before the first {@link #setThreads} OpenBLAS reports none (-1)
   * and runs one per processor, which is what this returns then.
   */
  public static int threads() {
    int threads = openblas.blas_get_num_threads();
    return threads >= 1 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
