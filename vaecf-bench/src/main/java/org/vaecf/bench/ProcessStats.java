package org.vaecf.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory and GC figures of this process, read from Linux's {@code /proc} and the JVM's management beans. */
final class ProcessStats {
  private ProcessStats() {}

  /** Peak resident set size in MB ({@code VmHWM}), or −1 where {@code /proc} is unavailable. */
  static double peakRssMb() {
    return statusField("VmHWM:");
  }

  /** Current resident set size in MB ({@code VmRSS}), or −1 where {@code /proc} is unavailable. */
  static double rssMb() {
    return statusField("VmRSS:");
  }

  private static double statusField(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or an unexpected format: report "unknown"
    }
    return -1;
  }

  /** Total milliseconds spent in garbage collection so far. */
  static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, bean.getCollectionTime());
    }
    return total;
  }

  /**
   * Milliseconds the JIT compilers have spent so far, or −1 where the JVM does not say: compilation that goes on
   * during the measured steps takes a core from them (it does, in every run seen: a backlog queued at start-up).
   */
  static long jitMillis() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
  }

  /** Bytes of heap in use now. */
  static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Bytes allocated on the heap so far by all live threads of the JVM (HotSpot's thread allocation counters), or 0
   * where the JVM does not count.
   */
  static long allocatedBytes() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!(threads instanceof com.sun.management.ThreadMXBean counting) || !counting.isThreadAllocatedMemorySupported()) {
      return 0;
    }
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      total += Math.max(0, counting.getThreadAllocatedBytes(id));
    }
    return total;
  }
}
