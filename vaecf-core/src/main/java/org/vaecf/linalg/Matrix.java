package org.vaecf.linalg;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A row-major float32 matrix in direct (off-heap) memory, so that OpenBLAS reads and writes it in place — or, for
 * tensors that never go to BLAS (the sparse first layer), on the heap ({@link #heap}), where the SIMD kernels reach
 * it without copies.
 *
 * <p>A matrix is allocated once with a row capacity and reused: {@link #setRows(int)} changes the number of rows in
 * use (a smaller last batch, say) without allocating. Elementwise code reads and writes {@link #buffer()} with
 * absolute indexes {@code row * cols() + col}. Not thread-safe; parallel loops must write disjoint ranges.
 */
public final class Matrix implements AutoCloseable {
  private static final FloatBuffer RELEASED = FloatBuffer.allocate(0);
  private static final ByteBuffer RELEASED_BYTES = ByteBuffer.allocate(0);
  private final int capacityRows;
  private final int cols;
  /** The off-heap memory of a direct matrix (null for a heap one). */
  private final DirectMemory.Allocation allocation;
  private final float[] array;
  private FloatBuffer buffer;
  private ByteBuffer bytes;
  private FloatPointer pointer;
  private int rows;

  private Matrix(int rows, int cols, boolean onHeap) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "x" + cols);
    }
    long elements = (long) rows * cols;
    if (elements > Integer.MAX_VALUE / Float.BYTES) {
      throw new IllegalArgumentException("matrix " + rows + "x" + cols + " is too large for one buffer");
    }
    this.capacityRows = rows;
    this.cols = cols;
    this.rows = rows;
    if (onHeap) {
      this.array = new float[(int) elements];
      this.buffer = FloatBuffer.wrap(array);
      this.pointer = null;
      this.allocation = null;
      this.bytes = null;
    } else {
      this.array = null;
      // aligned (OpenBLAS reads and writes aligned operands faster) and, from a few hundred kilobytes on, on huge
      // pages: see DirectMemory
      this.allocation = DirectMemory.allocate((int) elements * Float.BYTES);
      this.bytes = allocation.bytes();
      this.buffer = bytes.asFloatBuffer();
      this.pointer = new FloatPointer(buffer);
    }
  }

  /** A zero matrix of the given shape in direct memory; its row capacity is {@code rows}. */
  public static Matrix zeros(int rows, int cols) {
    return new Matrix(rows, cols, false);
  }

  /**
   * Off-heap bytes held now by direct matrices of 256 kB or more (those on huge pages, allocated outside the JVM's
   * direct-buffer pool; smaller ones are counted in that pool). Address space, of which only the matrices' own pages
   * become resident.
   */
  public static long hugePageBytes() {
    return DirectMemory.mallocBytes();
  }

  /** A zero matrix on the heap: for tensors only Java code touches; it cannot be passed to BLAS. */
  public static Matrix heap(int rows, int cols) {
    return new Matrix(rows, cols, true);
  }

  /** A matrix holding a copy of {@code values} (row-major, {@code rows * cols} entries). */
  public static Matrix of(int rows, int cols, float[] values) {
    Matrix m = new Matrix(rows, cols, false);
    m.copyFrom(values);
    return m;
  }

  /** Whether this matrix lives on the heap ({@link #array()} is available, BLAS is not). */
  public boolean onHeap() {
    return array != null;
  }

  /**
   * The backing heap array of a {@link #heap} matrix (row-major, whole capacity).
   *
   * @throws IllegalStateException for a direct matrix
   */
  public float[] array() {
    if (array == null) {
      throw new IllegalStateException("a direct matrix has no heap array");
    }
    return array;
  }

  /** Rows in use. */
  public int rows() {
    return rows;
  }

  /** Columns. */
  public int cols() {
    return cols;
  }

  /** Rows allocated. */
  public int capacityRows() {
    return capacityRows;
  }

  /** Number of entries in use, {@code rows() * cols()}. */
  public int size() {
    return rows * cols;
  }

  /**
   * Changes the number of rows in use, keeping the memory; entries beyond the old row count are not cleared.
   *
   * @throws IllegalArgumentException if {@code rows} exceeds the capacity
   */
  public Matrix setRows(int rows) {
    if (rows < 0 || rows > capacityRows) {
      throw new IllegalArgumentException("rows must be in [0, " + capacityRows + "], got " + rows);
    }
    this.rows = rows;
    return this;
  }

  /** Entry ({@code row}, {@code col}). */
  public float get(int row, int col) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    return buffer.get(row * cols + col);
  }

  /** Sets entry ({@code row}, {@code col}). */
  public void set(int row, int col, float value) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    buffer.put(row * cols + col, value);
  }

  /**
   * The backing direct buffer (whole capacity, row-major). Use absolute {@code get(int)} / {@code put(int, float)}
   * only: the buffer's position is shared.
   */
  public FloatBuffer buffer() {
    return buffer;
  }

  /**
   * The memory of a direct matrix as bytes in native order (entry {@code i} at byte {@code 4·i}), for the SIMD kernels
   * that read and write direct memory without copying ({@link Kernels#adam(java.nio.ByteBuffer, int,
   * java.nio.ByteBuffer, int, float[], float[], int, int, AdamCoefficients, float)}). Absolute access only, as for
   * {@link #buffer()}.
   *
   * @throws IllegalStateException for a heap matrix
   */
  public ByteBuffer bytes() {
    if (bytes == null) {
      throw new IllegalStateException("a heap matrix has no direct memory");
    }
    return bytes;
  }

  /** The same memory as a JavaCPP pointer, for native calls. */
  FloatPointer pointer() {
    if (pointer == null) {
      throw new IllegalStateException(
          array != null ? "a heap matrix cannot be passed to BLAS" : "the matrix was closed");
    }
    return pointer;
  }

  /**
   * Gives a direct matrix's off-heap memory back at once, instead of whenever the garbage collector finds the buffer
   * unreachable — a retired model's buffers are hundreds of megabytes, and a service swapping models should not hold
   * them until the next old-generation collection. Afterwards the matrix is empty: reads and writes through it fail
   * with an exception ({@link #buffer()} has capacity 0, {@link #pointer()} throws). The caller must make sure that no
   * other thread uses the matrix, or a buffer taken from it earlier, any more. A heap matrix is left to the garbage
   * collector; closing twice does nothing.
   */
  @Override
  public void close() {
    if (allocation == null || buffer == RELEASED) {
      return;
    }
    buffer = RELEASED;
    bytes = RELEASED_BYTES;
    pointer = null;
    rows = 0;
    allocation.free();
  }

  /** Sets every entry in use to {@code value}. */
  public void fill(float value) {
    int n = size();
    for (int i = 0; i < n; i++) {
      buffer.put(i, value);
    }
  }

  /** Copies {@code values} (row-major, exactly {@code size()} entries) into this matrix. */
  public void copyFrom(float[] values) {
    if (values.length != size()) {
      throw new IllegalArgumentException(
          "expected " + size() + " values for a " + rows + "x" + cols + " matrix, got " + values.length);
    }
    buffer.put(0, values);
  }

  /** Copies another matrix of the same shape into this one. */
  public void copyFrom(Matrix other) {
    if (other.rows != rows || other.cols != cols) {
      throw new IllegalArgumentException(
          "shape mismatch: " + rows + "x" + cols + " vs " + other.rows + "x" + other.cols);
    }
    buffer.put(0, other.buffer, 0, size());
  }

  /** A heap copy of the entries in use, row-major. */
  public float[] toArray() {
    float[] values = new float[size()];
    buffer.get(0, values);
    return values;
  }

  @Override
  public String toString() {
    int shown = Math.min(size(), 6);
    float[] head = new float[shown];
    buffer.get(0, head);
    return "Matrix[" + rows + "x" + cols + ", " + Arrays.toString(head) + (size() > shown ? "…]" : "]");
  }
}
