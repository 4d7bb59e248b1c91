package org.vaecf.cli;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.vaecf.bench.jmh.KernelBenchmarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vaecf bench kernels}: the JMH benchmarks of the training step's kernels. */
@Command(
    name = "kernels",
    mixinStandardHelpOptions = true,
    header = "JMH benchmarks of each kernel of a training step at ML-20M's shape.",
    description = {
      "Sparse first layer, softmax + multinomial gradient, tanh, Adam (beside a plain copy of the same bytes) and",
      "top-k selection, in milliseconds per call; and the service's output product (19 users) on the packed weight",
      "beside OpenBLAS. Runs in a forked JVM, as JMH does."
    })
final class BenchKernelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--threads", description = "Threads for the kernels (default: ${DEFAULT-VALUE}).", defaultValue = "2")
  int threads;

  @Option(
      names = "--filter",
      description =
          "Only benchmarks whose name contains a match of this regular expression, e.g. 'adam|copy' (a filter that "
              + "matches none lists them).")
  String filter;

  @Option(names = "--quick", description = "Fewer and shorter iterations (for a first look).")
  boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write JMH's JSON results to FILE.")
  String json;

  @Override
  public Integer call() throws Exception {
    List<String> selected = OptionErrors.fromOptions(spec, this::selectedBenchmarks);
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(include(selected))
            .param("threads", Integer.toString(threads))
            // a benchmark that throws is a broken kernel: the command fails (exit 1) instead of printing JMH's
            // trace and exiting 0 with that benchmark's figures missing
            .shouldFailOnError(true);
    if (quick) {
      options.warmupIterations(2).measurementIterations(3).warmupTime(TimeValue.milliseconds(500))
          .measurementTime(TimeValue.milliseconds(500));
    }
    if (json != null) {
      options.resultFormat(ResultFormatType.JSON).result(json);
    }
    try {
      new Runner(options.build()).run();
    } catch (NoBenchmarksException e) {
      // the names came from the class itself, so JMH's generated list is missing or older than the class
      throw new IllegalStateException(
          "JMH found none of " + selected + " in its benchmark list (META-INF/BenchmarkList of vaecf-bench): "
              + "rebuild vaecf-bench", e);
    } catch (RunnerException e) {
      // one line for the user (the result file it cannot write, another JMH holding its lock, …); the whole
      // exception is the cause, printed with VAECF_DEBUG
      String message = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
      throw new IllegalStateException(
          "JMH could not run the kernel benchmarks: " + (message.isEmpty() ? e.getClass().getSimpleName() : message),
          e);
    }
    return 0;
  }

  /** The benchmarks to run, or an {@link IllegalArgumentException} naming the option at fault. */
  List<String> selectedBenchmarks() {
    // each fork builds a Parallel of this many threads in @Setup, which refuses 0: JMH would report that per fork
    // and still exit 0
    if (threads <= 0) {
      throw new IllegalArgumentException("--threads must be > 0, got " + threads);
    }
    List<String> all = benchmarkNames();
    if (filter == null) {
      return all;
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(filter);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "--filter must be a regular expression, got '" + filter + "': " + e.getDescription() + " near index "
              + e.getIndex());
    }
    List<String> selected = all.stream().filter(name -> pattern.matcher(name).find()).toList();
    if (selected.isEmpty()) {
      throw new IllegalArgumentException(
          "--filter '" + filter + "' matches no benchmark; the benchmarks are: " + String.join(", ", all));
    }
    return selected;
  }

  /**
   * JMH's include pattern for exactly these benchmarks. JMH searches an include anywhere in the qualified name
   * ({@code org.vaecf.bench.jmh.KernelBenchmarks.topK}), so the names are anchored and quoted: JMH runs what
   * {@link #selectedBenchmarks} chose, no more.
   */
  static String include(List<String> names) {
    return "^" + Pattern.quote(KernelBenchmarks.class.getName() + ".") + "(?:"
        + names.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")$";
  }

  /** The names of {@link KernelBenchmarks}' benchmark methods, sorted (the order JMH runs them in). */
  static List<String> benchmarkNames() {
    return Arrays.stream(KernelBenchmarks.class.getMethods())
        .filter(method -> method.isAnnotationPresent(Benchmark.class))
        .map(Method::getName)
        .sorted()
        .toList();
  }
}
