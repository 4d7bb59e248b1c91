package org.vaecf.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;
import org.vaecf.data.split.PreparationStats;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.data.split.Provenance;
import org.vaecf.data.split.SplitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vaecf prepare}: reads an interaction log, splits it, and writes the prepared data directory. */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    header = "Read an interaction log and split it into train/validation/test (the paper's protocol by default).",
    description = {
      "Read an interaction log, binarise and filter it, split it (by default the paper's strong generalization:",
      "held-out users with an 80/20 fold-in/held-out split), and write DIR with stats.json, items.tsv and the parts."
    })
final class PrepareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Input file; repeat for data sets shipped in parts (e.g. --input train.txt --input test.txt).")
  List<Path> inputs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write.")
  Path out;

  @Mixin DataOptions data;

  @Mixin SplitOptions split;

  @Override
  public Integer call() throws IOException {
    SplitConfig config = OptionErrors.fromOptions(spec, split::config);
    ReaderOptions options = OptionErrors.fromOptions(spec, data::readerOptions);
    OutputDirectories.requireReplaceable(spec, "--out", out, List.of(PreparedDataStore.STATS_FILE));
    Interactions interactions = new InteractionReader(options).read(inputs);
    PreparedData prepared = config.splitter().split(interactions);
    prepared = prepared.withProvenance(new Provenance(data.format().cliName(), paths(inputs), config));
    PreparedDataStore.write(prepared, out);
    out().print(describe(prepared.stats()));
    out().println("written to " + out);
    return 0;
  }

  static List<String> paths(List<Path> inputs) {
    return inputs.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
  }

  static String describe(PreparationStats stats) {
    return String.format(
        "read %,d lines (%,d malformed lines skipped, %,d duplicate pairs merged)%n"
            + "kept %,d interactions of %,d users after threshold and user filter%n"
            + "train:      %,9d users  %,10d interactions  over %,d items%n"
            + "validation: %,9d users  %,10d fold-in  %,9d held-out%n"
            + "test:       %,9d users  %,10d fold-in  %,9d held-out%n",
        stats.linesRead(), stats.skippedLines(), stats.duplicatePairs(), stats.interactionsAfterFilter(),
        stats.usersAfterFilter(), stats.trainUsers(), stats.trainInteractions(), stats.items(),
        stats.validationUsers(), stats.validationFoldInInteractions(), stats.validationHeldOutInteractions(),
        stats.testUsers(), stats.testFoldInInteractions(), stats.testHeldOutInteractions());
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
