package org.vaecf.linalg;

import java.nio.FloatBuffer;

/**
 * A read-only {@code depth × columns} matrix packed once into panels of {@link Kernels#panelWidth()} columns, each
 * panel stored row after row so that a product sweeps it in one sequential pass, together with a row vector added to
 * every product row (a layer's bias). It multiplies a few rows at a time: {@code out = addend + a · this} for
 * {@code a} of {@code rows × depth}.
 *
 * <p>Why not OpenBLAS: its sgemm packs its operands into its own layout on every call. For a service scoring a
 * batch of a few dozen users against the 600 × 20,108 output weight, that repacking of 48 MB costs more than the
 * multiplications (measured on this project's 2-core machine, one thread, 20,108 items: 8 users 5.4 ms with sgemm
 * against 2.1 ms here, 19 users 7.9 against 4.8; from about 64 users sgemm's better kernel wins, 13.8 against 15.3).
 * A model's weights do not change while it serves, so the packing is done here once.
 *
 * <p>Every entry is summed in the same order whatever the other rows and however the panels are split over threads
 * ({@link Kernels#panelProduct}), so a user's scores are the same alone or in any batch, bit for bit. Thread-safe:
 * concurrent products only read the panels.
 */
public final class ColumnPanels {
  private final Kernels kernels;
  private final int depth;
  private final int columns;
  private final int width;
  private final int panels;
  /** Panel {@code p} is {@code packed[p·depth·width ..]}: row {@code k}'s {@code width} columns after row k − 1's. */
  private final float[] packed;
  /** The added row vector, zero-padded to {@code panels · width}. */
  private final float[] addend;

  private ColumnPanels(Kernels kernels, int depth, int columns, float[] packed, float[] addend) {
    this.kernels = kernels;
    this.depth = depth;
    this.columns = columns;
    this.width = kernels.panelWidth();
    this.panels = (columns + width - 1) / width;
    this.packed = packed;
    this.addend = addend;
  }

  /** Whether a {@code depth × columns} matrix fits the packed layout (one Java array, zero-padded to whole panels). */
  public static boolean fits(int depth, int columns) {
    int width = Kernels.best().panelWidth();
    long panels = (columns + (long) width - 1) / width;
    return panels * width * depth <= Integer.MAX_VALUE - 16;
  }

  /**
   * Packs {@code matrix} ({@code depth × columns}) with {@code addend} ({@code 1 × columns}) as the row vector added
   * to every product row. Both are copied; they may change or be closed afterwards.
   *
   * @throws IllegalArgumentException if the shapes disagree or the matrix does not {@link #fits fit}
   */
  public static ColumnPanels pack(Matrix matrix, Matrix addend) {
    int depth = matrix.rows();
    int columns = matrix.cols();
    if (addend.rows() != 1 || addend.cols() != columns) {
      throw new IllegalArgumentException(
          "the added row is " + addend.rows() + "x" + addend.cols() + ", want 1x" + columns);
    }
    if (!fits(depth, columns)) {
      throw new IllegalArgumentException(
          "a " + depth + "x" + columns + " matrix is too large to pack into one array of panels");
    }
    Kernels kernels = Kernels.best();
    int width = kernels.panelWidth();
    int panels = (columns + width - 1) / width;
    float[] packed = new float[panels * width * depth];
    float[] row = new float[columns];
    FloatBuffer values = matrix.buffer();
    for (int k = 0; k < depth; k++) {
      values.get(k * columns, row); // a row of the matrix at a time: contiguous reads, scattered writes
      for (int p = 0; p < panels; p++) {
        int from = p * width;
        System.arraycopy(row, from, packed, (p * depth + k) * width, Math.min(width, columns - from));
      }
    }
    float[] paddedAddend = new float[panels * width];
    addend.buffer().get(0, paddedAddend, 0, columns);
    return new ColumnPanels(kernels, depth, columns, packed, paddedAddend);
  }

  /** Rows of the packed matrix: the length of a row of the left operand. */
  public int depth() {
    return depth;
  }

  /** Columns of the packed matrix, and of the product. */
  public int columns() {
    return columns;
  }

  /** Columns per panel. */
  public int panelWidth() {
    return width;
  }

  /** Number of panels: {@code columns / panelWidth()} rounded up. */
  public int panels() {
    return panels;
  }

  /**
   * {@code out[r·columns + c] = addend[c] + Σ_k a[r·depth + k] · matrix[k][c]} for rows {@code r < rows} and the
   * columns {@code c} of panels {@code [panelFrom, panelTo)}; other columns of {@code out} are left as they are. Calls
   * over disjoint panel ranges may run at once on different threads.
   *
   * @param a {@code rows × depth}, row-major
   * @param out {@code rows × columns}, row-major
   */
  public void multiply(float[] a, int rows, float[] out, int panelFrom, int panelTo) {
    if (panelFrom < 0 || panelTo > panels || panelFrom > panelTo) {
      throw new IllegalArgumentException("panels [" + panelFrom + ", " + panelTo + ") outside [0, " + panels + ")");
    }
    if ((long) rows * depth > a.length || (long) rows * columns > out.length) {
      throw new IllegalArgumentException(
          rows + " rows do not fit a of " + a.length + " or out of " + out.length + " floats");
    }
    for (int p = panelFrom; p < panelTo; p++) {
      int from = p * width;
      int cols = Math.min(width, columns - from);
      if (cols == width) {
        kernels.panelProduct(a, rows, depth, packed, p * depth * width, addend, from, out, from, columns);
      } else {
        // the last panel is narrower than the kernels' stores: computed whole into a scratch array, then copied
        float[] whole = new float[rows * width];
        kernels.panelProduct(a, rows, depth, packed, p * depth * width, addend, from, whole, 0, width);
        for (int r = 0; r < rows; r++) {
          System.arraycopy(whole, r * width, out, r * columns + from, cols);
        }
      }
    }
  }
}
