package org.vaecf.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vaecf.data.split.PreparedData;
import org.vaecf.data.split.PreparedDataStore;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.TrainedModel;
import org.vaecf.train.TrainConfig;
import org.vaecf.train.Trainer;
import org.vaecf.train.TrainingDivergedException;
import org.vaecf.train.TrainingStoppedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaecf train}: trains Mult-VAE or Mult-DAE on prepared data and writes a model bundle. Checkpoints go to
 * {@code MODEL/.checkpoint} after every epoch and on SIGTERM/SIGINT; {@code --resume} continues from there.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Train Mult-VAE or Mult-DAE and write a model bundle.",
    description = {
      "Train Mult-VAE or Mult-DAE on a prepared data set, keeping the epoch with the best validation NDCG@100,",
      "and write the model bundle (model.json, items.tsv, weights.bin, history.json, history.csv) to --out.",
      "Progress: a bar per epoch on a terminal, one line per epoch otherwise, nothing with --quiet. A checkpoint is",
      "kept in MODEL/.checkpoint after every epoch and when the process is told to stop (SIGTERM, SIGINT); with",
      "--resume and the same other arguments, training continues from it to the same final weights, bit for bit."
    })
final class TrainCommand implements Callable<Integer> {
  /** Exit code after a requested stop (as a shell reports a signal-terminated process, 128 + SIGTERM). */
  static final int STOPPED = 143;

  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Directory written by 'prepare'.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model bundle directory to write.")
  Path out;

  @Option(names = "--resume", description = "Continue from the checkpoint in MODEL (same arguments required).")
  boolean resume;

  @Mixin TrainingOptions training;

  @Mixin ProgressOptions progress;

  /** Key under which the bundle's data statistics record the prepared data directory, for {@code report}. */
  static final String DATA_DIRECTORY_KEY = "directory";

  @Override
  public Integer call() throws IOException {
    progress.takeOverTrainerLog();
    ModelConfig modelConfig = OptionErrors.fromOptions(spec, training::modelConfig);
    OutputDirectories.requireReplaceable(
        spec, "--out", out, List.of(ModelBundle.MODEL_FILE, ModelBundle.CHECKPOINT_DIRECTORY));
    PreparedData prepared = PreparedDataStore.read(data);
    TrainConfig trainConfig = OptionErrors.fromOptions(spec, () -> training.trainConfig(prepared.stats()));
    if (progress.mode() != TrainingProgress.Mode.NONE) {
      out().printf(
          "training %s on %,d users x %,d items for %d epochs%n", modelConfig.type(), prepared.stats().trainUsers(),
          prepared.stats().items(), trainConfig.epochs());
    }
    Trainer trainer =
        new Trainer(modelConfig, trainConfig)
            .addListener(progress.listener(out(), "", trainConfig.epochs(), trainConfig.validationMetric().name()))
            .checkpointTo(out.resolve(ModelBundle.CHECKPOINT_DIRECTORY))
            .resume(resume);
    CountDownLatch finished = new CountDownLatch(1);
    Thread onSignal = new Thread(() -> stopAndWait(trainer, finished), "vaecf-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    long started = System.nanoTime();
    try {
      TrainedModel model = withDataDirectory(trainer.train(prepared));
      double seconds = (System.nanoTime() - started) / 1e9;
      ModelBundle.write(model, out);
      out().printf(
          "trained %s in %.1f s: best epoch %d of %d, validation %s = %s%nmodel written to %s%n",
          model.config().type(), seconds, model.training().bestEpoch(), model.training().history().size(),
          model.training().validationMetric(), Format.metric(model.training().bestValidation()), out);
      return 0;
    } catch (TrainingStoppedException e) {
      spec.commandLine().getErr().println("stopped: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return STOPPED;
    } catch (TrainingDivergedException e) {
      if (e.bestSoFar().isPresent()) {
        ModelBundle.write(withDataDirectory(e.bestSoFar().get()), out);
        throw new IllegalStateException(e.getMessage() + "; written to " + out, e);
      }
      throw e;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already stopping: the hook is running and waits for `finished`
      }
    }
  }

  /** The model with the prepared data directory recorded, so that {@code report} can find the test users. */
  private TrainedModel withDataDirectory(TrainedModel trained) {
    return new TrainedModel(
        trained.config(), trained.items(), trained.weights(),
        trained.training().withDataStat(DATA_DIRECTORY_KEY, data.toAbsolutePath().normalize().toString()));
  }

  /** Run by the JVM on SIGTERM/SIGINT: ask for a checkpoint and give training time to write it. */
  private static void stopAndWait(Trainer trainer, CountDownLatch finished) {
    trainer.requestStop();
    try {
      finished.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
