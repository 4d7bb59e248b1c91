package org.vaecf.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaecf.io.ModelBundle;
import org.vaecf.model.TrainedModel;
import org.vaecf.spark.io.HadoopFiles;

/**
 * Loads a {@link MultVaeModel} saved by {@link MultVaeModelWriter}: checks the metadata's format and version, reads
 * the core bundle (copied to a local temporary directory, read with its checksums checked, then deleted: the loaded
 * model holds its weights in memory) and the histories, and sets the saved params.
 */
final class MultVaeModelReader extends MLReader<MultVaeModel> {

  @Override
  public MultVaeModel load(String path) {
    HadoopFiles files = new HadoopFiles(sc().hadoopConfiguration());
    String metadataFile = path + "/" + MultVaeModelWriter.METADATA;
    ModelMetadata.Contents metadata = ModelMetadata.read(files.readText(metadataFile), metadataFile);
    TrainedModel trained;
    Path local;
    try {
      local = Files.createTempDirectory("vaecf-spark-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not make a temporary directory for the model bundle", e);
    }
    try {
      Path bundle = local.resolve(MultVaeModelWriter.BUNDLE);
      files.download(path + "/" + MultVaeModelWriter.BUNDLE, bundle);
      trained = ModelBundle.read(bundle);
    } finally {
      HadoopFiles.deleteLocal(local);
    }
    Dataset<Row> histories = sparkSession().read().parquet(path + "/" + MultVaeModelWriter.HISTORIES);
    MultVaeModel model = new MultVaeModel(
        metadata.uid(), trained, histories, metadata.userType(), metadata.itemType(), metadata.summary());
    metadata.applyParams(model);
    return model;
  }
}
