package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.vaecf.bench.jmh.KernelBenchmarks;
import picocli.CommandLine;

/**
 * The benchmarks' option checks: a value the benchmark cannot run with is a usage error (exit 2, the option named)
 * before any model is built, wrk installed or JMH forked, so every refusal here returns at once and needs no wrk.
 */
class BenchOptionsTest {
  @TempDir static Path dir;

  // ---------------------------------------------------------------- bench kernels

  @Test
  void kernelsRefusesThreadsBelowOne() {
    for (String threads : List.of("0", "-2")) {
      CliTest.Run run = CliTest.run("bench", "kernels", "--threads", threads);
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).contains("--threads must be > 0, got " + threads);
    }
  }

  @Test
  void kernelsRefusesAFilterThatMatchesNoBenchmarkAndListsThem() {
    CliTest.Run run = CliTest.run("bench", "kernels", "--filter", "nothingLikeThis");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .contains("--filter 'nothingLikeThis' matches no benchmark; the benchmarks are: ")
        .contains("adamOutputLayer", "copySameBytes", "topK", "serviceProductPacked")
        .doesNotContain("\tat ");
  }

  @Test
  void kernelsRefusesAFilterThatIsNoRegularExpression() {
    CliTest.Run run = CliTest.run("bench", "kernels", "--filter", "adam(");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--filter must be a regular expression, got 'adam('").doesNotContain("\tat ");
  }

  @Test
  void kernelsFilterMatchesAnywhereInTheNameAndJmhRunsExactlyTheMatches() {
    BenchKernelsCommand kernels = new BenchKernelsCommand();
    // 'Bytes' ends copySameBytes and 'InputCopy' ends softmaxInputCopy: neither is the start of a name
    new CommandLine(kernels).parseArgs("--filter", "Bytes|InputCopy");
    List<String> selected = kernels.selectedBenchmarks();
    assertThat(selected).containsExactly("copySameBytes", "softmaxInputCopy");
    String prefix = KernelBenchmarks.class.getName() + ".";
    assertThat(jmhFinds(BenchKernelsCommand.include(selected)))
        .containsExactly(prefix + "copySameBytes", prefix + "softmaxInputCopy");

    // without --filter: every benchmark of JMH's generated list, and the names the refusal lists are those
    BenchKernelsCommand all = new BenchKernelsCommand();
    new CommandLine(all).parseArgs();
    List<String> names = all.selectedBenchmarks();
    assertThat(names).hasSizeGreaterThanOrEqualTo(10);
    assertThat(jmhFinds(BenchKernelsCommand.include(names)))
        .containsExactlyElementsOf(names.stream().map(name -> prefix + name).toList())
        .containsExactlyElementsOf(jmhFinds("^" + java.util.regex.Pattern.quote(prefix)));
  }

  @Test
  void kernelsReportsJmhsOwnRefusalInOneLine() {
    // JMH checks that it can write the result file before it looks for benchmarks or forks: nothing is measured
    Path json = dir.resolve("absent-directory").resolve("kernels.json");
    CliTest.Run run = CliTest.run("bench", "kernels", "--filter", "topK", "--json", json.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines()).hasSize(1).first().asString()
        .startsWith("error: JMH could not run the kernel benchmarks: ");
  }

  /** The qualified names of the benchmarks JMH's generated list holds for {@code include}, in JMH's order. */
  private static List<String> jmhFinds(String include) {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    return BenchmarkList.defaultList()
        .find(OutputFormatFactory.createFormatInstance(quiet, VerboseMode.SILENT), List.of(include), List.of())
        .stream()
        .map(BenchmarkListEntry::getUsername)
        .distinct()
        .toList();
  }
}
