package org.vaecf.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The heap a model service runs on: fixed and pre-touched (as Kafka and Elasticsearch run), so that the process's
 * memory does not drift with the garbage collector's sizing while it serves and swaps models. The size is
 * {@code 4 × weights.bin + 512 MB}, at least 1 GB: during a swap two models live side by side, each with its weights
 * and its prediction networks. {@code VAECF_HEAP_OPTS} replaces the rule. The {@code ./vaecf} launcher applies the
 * same rule to {@code vaecf serve}; this class applies it to the servers the benchmarks start.
 */
final class ServeHeap {
  private static final long MB = 1024 * 1024;

  private ServeHeap() {}

  /** The JVM options for serving the bundle in {@code model}; empty when its weights cannot be found. */
  static List<String> jvmOptions(Path model) {
    String override = System.getenv("VAECF_HEAP_OPTS");
    if (override != null) {
      return Arrays.stream(override.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }
    long weightBytes;
    try {
      weightBytes = Files.size(model.resolve("weights.bin"));
    } catch (IOException e) {
      return List.of(); // the server itself will report the bundle's problem
    }
    long heapMb = Math.max(1024, weightBytes * 4 / MB + 512);
    return List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+AlwaysPreTouch");
  }
}
