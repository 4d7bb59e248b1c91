package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.vaecf.bench.jmh.KernelBenchmarks;
import org.vaecf.data.Interactions;
import org.vaecf.data.synthetic.SyntheticData;
import picocli.CommandLine;

/**
 * The benchmarks' option checks: a value the benchmark cannot run with is a usage error (exit 2, the option named)
 * before any model is built, wrk installed or JMH forked, so every refusal here returns at once and needs no wrk.
 */
@Timeout(60) // a refusal that started a benchmark would take minutes
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

  // ---------------------------------------------------------------- bench serve, bench soak

  @Test
  void serveRefusesFewerConnectionsThanWrkThreads() {
    // wrk refuses them ("number of connections must be >= threads"), and the default is 2 threads
    CliTest.Run defaults = CliTest.run("bench", "serve", "--connections", "1");
    assertThat(defaults.code()).as(defaults.err()).isEqualTo(2);
    assertThat(defaults.err()).contains("--connections must be >= --wrk-threads").contains("got 1 connections and 2");
    CliTest.Run more = CliTest.run("bench", "serve", "--connections", "3", "--wrk-threads", "4");
    assertThat(more.code()).as(more.err()).isEqualTo(2);
    assertThat(more.err()).contains("--connections must be >= --wrk-threads").contains("got 3 connections and 4");
  }

  @Test
  void serveRefusesANegativeWarmupNamingIt() {
    CliTest.Run run = CliTest.run("bench", "serve", "--warmup-seconds", "-1");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--warmup-seconds must be >= 0 (0 for no warm-up), got -1");
  }

  @Test
  void soakRefusesFewerConnectionsThanItsWrkThreads() {
    CliTest.Run run = CliTest.run("bench", "soak", "--connections", "1");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--connections must be >= 2 (wrk runs 2 threads").contains("got 1");
  }

  @Test
  void serveSoakAndRecommendAllRefuseFewerItemsThanTheSyntheticDataHasTastes() {
    for (String command : List.of("serve", "soak", "recommend-all")) {
      for (String items : List.of("199", "1", "0")) {
        CliTest.Run run = CliTest.run("bench", command, "--items", items);
        assertThat(run.code()).as(command + ": " + run.err()).isEqualTo(2);
        assertThat(run.err()).as(command).contains("--items must be >= 200").contains("got " + items);
      }
    }
  }

  // ---------------------------------------------------------------- bench recommend-all

  @Test
  void recommendAllRefusesABatchSizeBelowOneBeforeBuildingTheModel() {
    CliTest.Run run = CliTest.run("bench", "recommend-all", "--batch-size", "0");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--batch-size must be > 0, got 0").doesNotContain("building");
  }

  @Test
  void recommendAllRefusesAModelOfFewerItemsThanTheSyntheticDataHasTastes() throws IOException {
    Interactions synthetic = new SyntheticData(SyntheticData.Settings.demo().withSize(300, 120)).generate();
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < synthetic.size(); k++) {
      lines.add(synthetic.users().rawId(synthetic.user(k)) + "," + synthetic.items().rawId(synthetic.item(k)));
    }
    Path log = Files.write(dir.resolve("small.csv"), lines);
    Path prepared = dir.resolve("small-prepared");
    CliTest.Run prepare = CliTest.run("prepare", "--input", log.toString(), "--format", "csv", "--no-header",
        "--heldout-users", "30", "--out", prepared.toString());
    assertThat(prepare.code()).as(prepare.err()).isZero();
    Path model = dir.resolve("small-model");
    CliTest.Run train = CliTest.run("train", "--data", prepared.toString(), "--out", model.toString(), "--epochs",
        "1", "--hidden", "16", "--latent", "4", "--threads", "1");
    assertThat(train.code()).as(train.err()).isZero();
    int items = org.vaecf.io.ModelBundle.read(model).items().size();
    assertThat(items).isLessThan(200);

    CliTest.Run run = CliTest.run("bench", "recommend-all", "--model", model.toString(), "--users", "10");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--model must have at least 200 items").contains("got " + items + " in ");
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

  @Test
  void trainRefusesItsOptionsByTheirNamesBeforeGeneratingData() {
    String[][] cases = {
      {"--items", "99", "--items must be >= 100 (the synthetic data plants that many tastes, one item each), got 99"},
      {"--users", "0", "--users must be > 0, got 0"},
      {"--interactions-per-user", "NaN", "--interactions-per-user must be in [5, --items/2 = 10054.0], got NaN"},
      {"--steps", "0", "--steps must be > 0, got 0"},
      {"--warmup", "-1", "--warmup must be >= 0, got -1"},
      {"--threads", "0", "--threads must be > 0, got 0"},
      {"--eval-users", "0", "--eval-users must be > 0, got 0"},
    };
    for (String[] c : cases) {
      CliTest.Run run = CliTest.run("bench", "train", c[0], c[1]);
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).contains(c[2]).doesNotContain("generating");
    }
  }
}
