package org.vaecf.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.model.ModelConfig;
import org.vaecf.model.ModelType;
import org.vaecf.model.TestModels;
import org.vaecf.model.TrainedModel;

/**
 * Real disk faults on a small tmpfs: a full disk and a read-only file system. A failed save names the problem and
 * leaves the previous bundle loadable, with no temporary directory behind. Needs root (to mount); skipped otherwise.
 */
class DiskFaultTest {
  @TempDir Path temp;
  private Path mount;

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  @BeforeEach
  void mountSmallTmpfs() throws Exception {
    mount = temp.resolve("disk");
    Files.createDirectories(mount);
    boolean mounted;
    try {
      mounted = run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString()) == 0;
    } catch (IOException e) {
      mounted = false;
    }
    assumeTrue(mounted, "skipped: cannot mount a tmpfs here (needs root and the mount command)");
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", mount.toString());
  }

  private static TrainedModel large() {
    // 3,000 items × 64 hidden: about 1.5 MB of weights, three times the disk
    ModelConfig config = new ModelConfig(ModelType.MULT_VAE, List.of(64), 8, 0.5f);
    return TestModels.model(config, TestModels.itemIds(3000), 3);
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> list = Files.list(mount)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFullDiskFailsClearlyAndKeepsThePreviousBundle() throws Exception {
    Path bundle = mount.resolve("model");
    TrainedModel small = TestModels.small(1);
    ModelBundle.write(small, bundle);
    assertThatThrownBy(() -> ModelBundle.write(large(), bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(bundle.toString())
        .hasMessageContaining("No space left on device");
    assertThat(ModelBundle.read(bundle).weights().get("decoder.1.bias").toArray())
        .isEqualTo(small.weights().get("decoder.1.bias").toArray());
    assertThat(entries()).containsExactly("model");
  }

  @Test
  void aReadOnlyFileSystemFailsClearlyAndKeepsThePreviousBundle() throws Exception {
    Path bundle = mount.resolve("model");
    TrainedModel small = TestModels.small(1);
    ModelBundle.write(small, bundle);
    assumeTrue(run("mount", "-o", "remount,ro", mount.toString()) == 0, "skipped: cannot remount read-only");
    assertThatThrownBy(() -> ModelBundle.write(TestModels.small(2), bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("Read-only file system");
    assertThat(ModelBundle.read(bundle).training().seed()).isEqualTo(small.training().seed());
    assertThat(entries()).containsExactly("model");
  }
}
