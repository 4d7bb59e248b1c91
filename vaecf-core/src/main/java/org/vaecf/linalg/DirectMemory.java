package org.vaecf.linalg;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * The off-heap memory of {@link Matrix}: allocated aligned and zeroed, and given back at once when the matrix is
 * closed, or by the garbage collector when it is dropped unclosed.
 *
 * <p><b>Huge pages.</b> A buffer of {@link #HUGE_PAGE_MIN_BYTES} or more starts on a 2 MB boundary, so that with
 * transparent huge pages (which the launcher asks glibc's malloc for, {@code glibc.malloc.hugetlb=1}) it lies on whole
 * 2 MB pages. A training step's small matrices — the inner layers' activations, gradients and weights, 0.4 to 1.2 MB
 * each — are cold every time the step comes back to them (the output layer's passes stream hundreds of megabytes in
 * between), and on 4 kB pages each 4 kB of them also costs a page-table walk, which under a virtual machine's nested
 * paging is the larger part: measured on this project's machine, reading eight cold 1.2 MB buffers took 4.9–9.0 ms on
 * 4 kB pages and 0.6–0.9 ms on huge pages, and the ML-20M-shaped step went from 180–190 to 165–175 ms. A malloc of
 * that size is a fresh mapping of its own, so the memory before the 2 MB boundary is never touched and never becomes
 * resident: the alignment costs address space only. These buffers come from {@code malloc} through JavaCPP rather than
 * {@link ByteBuffer#allocateDirect}, which would zero — and so make resident — the whole allocation, slack included.
 *
 * <p><b>Freeing.</b> The JDK frees a direct buffer only when the garbage collector finds it unreachable, which for
 * long-lived buffers can be minutes later; Java 17 has no public call for it, so smaller buffers are freed with
 * {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, present in every JDK and meant for exactly
 * this). Where that is not reachable, freeing them falls back to the garbage collector.
 */
final class DirectMemory {
  /** Buffers at least this large start on a huge-page boundary (see the class comment). */
  static final int HUGE_PAGE_MIN_BYTES = 256 * 1024;
  /** A transparent huge page on x86-64 and most arm64 kernels. */
  static final int HUGE_PAGE_BYTES = 2 * 1024 * 1024;
  /** Smaller buffers start on a cache line (and an AVX-512 vector), as NumPy aligns its arrays. */
  private static final int CACHE_LINE_BYTES = 64;
  private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicLong MALLOC_BYTES = new AtomicLong();

  private DirectMemory() {}

  /**
   * An allocation: {@code bytes}, its zeroed, aligned memory in native byte order, and {@link #free()}, which gives it
   * back (at most once; afterwards {@code bytes} must not be used).
   */
  static final class Allocation {
    private final ByteBuffer bytes;
    private final Runnable release;

    private Allocation(ByteBuffer bytes, Runnable release) {
      this.bytes = bytes;
      this.release = release;
    }

    ByteBuffer bytes() {
      return bytes;
    }

    void free() {
      release.run();
    }
  }

  /**
   * {@code size} zeroed bytes. If neither {@link Allocation#bytes()} nor any buffer made from it is reachable any more
   * before {@link Allocation#free()}, the garbage collector frees the memory.
   *
   * @throws OutOfMemoryError if the memory cannot be had
   */
  static Allocation allocate(int size) {
    long padded = (long) size + HUGE_PAGE_BYTES;
    if (size < HUGE_PAGE_MIN_BYTES || padded > Integer.MAX_VALUE) {
      ByteBuffer allocation = ByteBuffer.allocateDirect(size + 2 * CACHE_LINE_BYTES);
      ByteBuffer bytes = allocation.alignedSlice(CACHE_LINE_BYTES).limit(size).slice().order(ByteOrder.nativeOrder());
      return new Allocation(bytes, () -> free(allocation));
    }
    Pointer base = Pointer.malloc(padded);
    if (base == null || base.isNull()) {
      throw new OutOfMemoryError("could not allocate " + padded + " bytes of native memory for a matrix");
    }
    MALLOC_BYTES.addAndGet(padded);
    long offset = Math.floorMod(-base.address(), (long) HUGE_PAGE_BYTES);
    BytePointer aligned = new BytePointer(base).position(offset).limit(offset + size);
    Pointer.memset(aligned, 0, size);
    // JavaCPP's buffer starts at the base address, positioned at the offset: the matrix's views are slices of it, and
    // every slice or view the JDK makes of a direct buffer holds on to the buffer it came from — so the memory is
    // freed by the collector only once no view of it is reachable, whatever became of the matrix
    ByteBuffer root = aligned.asByteBuffer();
    ByteBuffer bytes = root.slice().order(ByteOrder.nativeOrder());
    Cleaner.Cleanable cleanable = CLEANER.register(root, new MallocRelease(base, padded));
    return new Allocation(bytes, cleanable::clean);
  }

  /** Bytes currently held by allocations that do not go through {@link ByteBuffer#allocateDirect}. */
  static long mallocBytes() {
    return MALLOC_BYTES.get();
  }

  /** Frees a malloc'd block; holds no reference to its owner, as a cleaning action must not. */
  private static final class MallocRelease implements Runnable {
    private final Pointer base;
    private final long size;

    MallocRelease(Pointer base, long size) {
      this.base = base;
      this.size = size;
    }

    @Override
    public void run() {
      Pointer.free(base);
      MALLOC_BYTES.addAndGet(-size);
    }
  }

  /**
   * Frees {@code buffer}'s memory now (or leaves it to the garbage collector where the JDK offers no way). The buffer
   * must be one returned by {@link ByteBuffer#allocateDirect}, not a slice or view, and must not be used again.
   */
  static void free(ByteBuffer buffer) {
    if (INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invokeExact(buffer);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("could not free a direct buffer", e);
    }
  }

  /** Whether {@link #free} gives memory back at once on this JDK. */
  static boolean freesAtOnce() {
    return INVOKE_CLEANER != null;
  }

  private static MethodHandle findInvokeCleaner() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field field = unsafeClass.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      Object unsafe = field.get(null);
      return MethodHandles.lookup()
          .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(unsafe);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
