package org.vaecf.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the shared folder that lives beside the project root ({@code ../shared}: real data sets and test vectors
 * that may not be copied into the repository). Tests that need it skip, with a message, when it is absent, so a fresh
 * clone without it still passes. The system property {@code vaecf.shared} overrides the search.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  /** The shared folder, if one can be found. */
  public static Optional<Path> sharedDir() {
    String override = System.getProperty("vaecf.shared");
    if (override != null) {
      Path dir = Path.of(override);
      return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
    // Maven runs tests in the module directory; the project root is the nearest ancestor with a pom.xml whose
    // sibling "shared" exists. Walking up keeps this working from the root or from a module.
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path shared = dir.resolveSibling("shared");
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(shared)) {
        return Optional.of(shared.normalize());
      }
    }
    return Optional.empty();
  }

  /** {@code ../shared/<relative>}, or skips the calling test with a message naming what is missing. */
  public static Path require(String relative) {
    Optional<Path> shared = sharedDir();
    assumeTrue(shared.isPresent(), "skipped: ../shared (beside the project root) not found; this test needs " + relative);
    Path path = shared.get().resolve(relative);
    assumeTrue(Files.exists(path), "skipped: " + path + " not found");
    return path;
  }
}
