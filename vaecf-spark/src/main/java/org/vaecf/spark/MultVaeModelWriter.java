package org.vaecf.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.util.MLWriter;
import org.vaecf.io.ModelBundle;
import org.vaecf.spark.io.HadoopFiles;

/**
 * Saves a {@link MultVaeModel} as a directory: {@value #METADATA} (one line of JSON, where Spark's loaders look for
 * it; see {@link ModelMetadata}), {@value #BUNDLE}/ (core's bundle, written locally by {@link ModelBundle} and copied
 * up) and {@value #HISTORIES}/ (Parquet, written by the executors). Spark's {@link MLWriter#save} refuses an existing
 * directory unless {@code overwrite()} was called.
 */
final class MultVaeModelWriter extends MLWriter {
  static final String METADATA = "metadata/part-00000";
  static final String BUNDLE = "bundle";
  static final String HISTORIES = "histories";

  private final MultVaeModel model;

  MultVaeModelWriter(MultVaeModel model) {
    this.model = model;
  }

  @Override
  public void saveImpl(String path) {
    HadoopFiles files = new HadoopFiles(sc().hadoopConfiguration());
    files.writeText(path + "/" + METADATA, ModelMetadata.write(model, sc().version()));
    Path local;
    try {
      local = Files.createTempDirectory("vaecf-spark-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not make a temporary directory for the model bundle", e);
    }
    try {
      Path bundle = local.resolve(BUNDLE);
      ModelBundle.write(model.trainedModel(), bundle);
      files.upload(bundle, path + "/" + BUNDLE);
    } finally {
      HadoopFiles.deleteLocal(local);
    }
    model.userHistories().write().parquet(path + "/" + HISTORIES);
  }
}
