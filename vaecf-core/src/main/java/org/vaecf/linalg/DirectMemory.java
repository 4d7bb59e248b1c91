package org.vaecf.linalg;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Frees a direct {@link ByteBuffer} at once. The JDK frees direct memory only when the garbage collector finds the
 * buffer unreachable, which for long-lived buffers can be minutes later; Java 17 has no public call for it, so this
 * uses {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, present in every JDK and meant for
 * exactly this). Where that is not reachable, freeing falls back to the garbage collector.
 */
final class DirectMemory {
  private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

  private DirectMemory() {}

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
