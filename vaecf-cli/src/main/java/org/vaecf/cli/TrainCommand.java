package org.vaecf.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vaecf train}: trains Mult-VAE or Mult-DAE on prepared data and writes a model bundle. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Train Mult-VAE or Mult-DAE and write a model bundle.",
    description = {
      "Train Mult-VAE or Mult-DAE on a prepared data set, keeping the epoch with the best validation NDCG@100,",
      "and write the model bundle (model.json, items.tsv, weights.bin, history.json, history.csv) to --out.",
      "Progress: a bar per epoch on a terminal, one line per epoch otherwise, nothing with --quiet."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory written by 'prepare'.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model bundle directory to write.")
  Path out;

  @Mixin TrainingOptions training;

  @Mixin ProgressOptions progress;

  /** Key under which the bundle's data statistics record the prepared data directory, for {@code report}. */
  static final String DATA_DIRECTORY_KEY = "directory";

  @Override
  public Integer call() {
    progress.takeOverTrainerLog();
    ModelConfig modelConfig = OptionErrors.fromOptions(spec, training::modelConfig);
    PreparedData prepared = PreparedDataStore.read(data);
    TrainConfig trainConfig = OptionErrors.fromOptions(spec, () -> training.trainConfig(prepared.stats()));
    if (progress.mode() != TrainingProgress.Mode.NONE) {
      out().printf(
          "training %s on %,d users x %,d items for %d epochs%n", modelConfig.type(), prepared.stats().trainUsers(),
          prepared.stats().items(), trainConfig.epochs());
    }
    long started = System.nanoTime();
    TrainedModel trained =
        new Trainer(modelConfig, trainConfig)
            .addListener(
                progress.listener(out(), "", trainConfig.epochs(), trainConfig.validationMetric().name()))
            .train(prepared);
    double seconds = (System.nanoTime() - started) / 1e9;
    TrainedModel model =
        new TrainedModel(
            trained.config(), trained.items(), trained.weights(),
            trained.training().withDataStat(DATA_DIRECTORY_KEY, data.toAbsolutePath().normalize().toString()));
    ModelBundle.write(model, out);
    out().printf(
        "trained %s in %.1f s: best epoch %d of %d, validation %s = %s%nmodel written to %s%n",
        model.config().type(), seconds, model.training().bestEpoch(), model.training().history().size(),
        model.training().validationMetric(), Format.metric(model.training().bestValidation()), out);
    return 0;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
