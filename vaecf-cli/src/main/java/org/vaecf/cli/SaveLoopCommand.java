package org.vaecf.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaecf save-loop} (hidden): writes two bundles alternately to one directory, forever, so that a test can kill
 * the process at random moments during a save and check that the directory always holds one complete bundle.
 */
@Command(
    name = "save-loop",
    hidden = true,
    description = "Test aid: save bundles A and B alternately to --out until killed.")
final class SaveLoopCommand implements Callable<Integer> {
  @Option(names = "--a", required = true, paramLabel = "MODEL") Path first;

  @Option(names = "--b", required = true, paramLabel = "MODEL") Path second;

  @Option(names = "--out", required = true, paramLabel = "DIR") Path out;

  @Option(names = "--times", defaultValue = "1000000", description = "Saves before stopping.") int times;

  @Override
  public Integer call() {
    TrainedModel a = ModelBundle.read(first);
    TrainedModel b = ModelBundle.read(second);
    for (int i = 0; i < times; i++) {
      ModelBundle.write(i % 2 == 0 ? a : b, out);
    }
    return 0;
  }
}
