package org.vaecf.cli;

import java.util.concurrent.Callable;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.vaecf.bench.jmh.KernelBenchmarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
  @Option(names = "--threads", description = "Threads for the kernels (default: ${DEFAULT-VALUE}).", defaultValue = "2")
  int threads;

  @Option(names = "--filter", description = "Only benchmarks whose name matches this regular expression.")
  String filter;

  @Option(names = "--quick", description = "Fewer and shorter iterations (for a first look).")
  boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write JMH's JSON results to FILE.")
  String json;

  @Override
  public Integer call() throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(KernelBenchmarks.class.getName() + "." + (filter == null ? ".*" : filter))
            .param("threads", Integer.toString(threads));
    if (quick) {
      options.warmupIterations(2).measurementIterations(3).warmupTime(TimeValue.milliseconds(500))
          .measurementTime(TimeValue.milliseconds(500));
    }
    if (json != null) {
      options.resultFormat(ResultFormatType.JSON).result(json);
    }
    new Runner(options.build()).run();
    return 0;
  }
}
