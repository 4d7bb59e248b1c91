package org.vaecf.spark.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Moves files between the driver's local disk and a directory of any Hadoop file system (HDFS, S3, the local one),
 * so that core's model bundle, which is written and read with {@code java.nio}, can be saved where Spark saves
 * models. Local copies live in temporary directories that are deleted afterwards.
 */
public final class HadoopFiles {
  private final Configuration configuration;

  /** Files on the file systems that {@code configuration} reaches (use the SparkContext's Hadoop configuration). */
  public HadoopFiles(Configuration configuration) {
    this.configuration = configuration;
  }

  /** Writes {@code text} as UTF-8 to {@code target}, replacing it. */
  public void writeText(String target, String text) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(target);
    try (OutputStream out = fileSystem(path).create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    }
  }

  /** The UTF-8 text of {@code source}. */
  public String readText(String source) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(source);
    try (InputStream in = fileSystem(path).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + source + ": " + e.getMessage(), e);
    }
  }

  /** Copies the local directory {@code local} (recursively) to {@code target}, which must not exist yet. */
  public void upload(Path local, String target) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(target);
    try {
      fileSystem(path).copyFromLocalFile(false, false, new org.apache.hadoop.fs.Path(local.toUri()), path);
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + local + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Copies the directory {@code source} (recursively) to the local path {@code target}, which must not exist yet. */
  public void download(String source, Path target) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(source);
    try {
      // Raw local file system: no .crc side files in the copy.
      fileSystem(path).copyToLocalFile(false, path, new org.apache.hadoop.fs.Path(target.toUri()), true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + source + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a local directory and everything in it; nothing happens when it does not exist. */
  public static void deleteLocal(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the temporary directory " + directory, e);
    }
  }

  private FileSystem fileSystem(org.apache.hadoop.fs.Path path) throws IOException {
    return path.getFileSystem(configuration);
  }
}
