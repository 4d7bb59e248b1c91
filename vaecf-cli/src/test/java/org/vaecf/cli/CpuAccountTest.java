package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CPU accounting of the load benchmark, with this JVM as the "server" keeping one core busy. */
class CpuAccountTest {
  @Test
  void aSpinningProcessIsChargedAboutOneCore() throws Exception {
    CpuAccount account = CpuAccount.start(ProcessHandle.current().pid());
    long end = System.nanoTime() + 400_000_000L;
    double sink = 0;
    while (System.nanoTime() < end) {
      sink += Math.sqrt(sink + 1);
    }
    CpuAccount.Shares shares = account.stop();
    assertThat(sink).isPositive();
    // one thread spun for the whole interval; other processes may take the other cores, never more than exist
    assertThat(shares.server()).isBetween(0.5, Runtime.getRuntime().availableProcessors() + 0.1);
    assertThat(shares.children()).isBetween(0.0, 0.05);
    assertThat(shares.others()).isBetween(0.0, (double) Runtime.getRuntime().availableProcessors());
  }
}
