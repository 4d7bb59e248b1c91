package org.vaecf.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} Spark session of the module's tests (a session costs seconds to start, so every test
 * class shares it), and the shared data folder beside the project root, which a clone may lack: the real data sets
 * may not be copied into the repository.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  /** The session, started on first use: two cores, no UI, few shuffle partitions (test data is small). */
  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("vaecf-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.adaptive.enabled", "false")
          .getOrCreate();
    }
    return session;
  }

  /** {@code ../shared/<relative>} from the project root, if it is there. */
  public static Optional<Path> findShared(String relative) {
    return sharedDir().map(dir -> dir.resolve(relative)).filter(Files::exists);
  }

  private static Optional<Path> sharedDir() {
    String override = System.getProperty("vaecf.shared");
    if (override != null) {
      return Files.isDirectory(Path.of(override)) ? Optional.of(Path.of(override)) : Optional.empty();
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path shared = dir.resolveSibling("shared");
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(shared)) {
        return Optional.of(shared.normalize());
      }
    }
    return Optional.empty();
  }
}
