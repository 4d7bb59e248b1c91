package org.vaecf.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU time went during a measurement, from Linux's {@code /proc}: the server process, the
 * children this JVM waited for (the load generator), and everything else. A load test on a shared machine is only as
 * meaningful as the share of the cores it actually got, so the benchmark reports it next to its figures.
 */
final class CpuAccount {
  /** Average cores busy over the interval. */
  record Shares(double server, double children, double others) {}

  private final long serverPid;
  private final long startNanos;
  private final long busyStart;
  private final long serverStart;
  private final long childrenStart;
  private final long selfStart;

  private CpuAccount(long serverPid) throws IOException {
    this.serverPid = serverPid;
    this.startNanos = System.nanoTime();
    this.busyStart = machineBusyTicks();
    this.serverStart = processTicks(serverPid, false);
    this.childrenStart = processTicks(ProcessHandle.current().pid(), true);
    this.selfStart = processTicks(ProcessHandle.current().pid(), false);
  }

  /** Starts accounting; {@code serverPid} is the process under test. */
  static CpuAccount start(long serverPid) throws IOException {
    return new CpuAccount(serverPid);
  }

  /** The shares since {@link #start}; the children's time counts once they have been waited for. */
  Shares stop() throws IOException {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double tick = 100.0; // USER_HZ: the unit of /proc's CPU times on Linux
    double busy = (machineBusyTicks() - busyStart) / tick / seconds;
    double server = (processTicks(serverPid, false) - serverStart) / tick / seconds;
    double children = (processTicks(ProcessHandle.current().pid(), true) - childrenStart) / tick / seconds;
    double self = (processTicks(ProcessHandle.current().pid(), false) - selfStart) / tick / seconds;
    return new Shares(server, children, Math.max(0, busy - server - children - self));
  }

  /** Busy ticks of all cores: the first line of /proc/stat less idle and iowait. */
  private static long machineBusyTicks() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int f = 1; f < Math.min(fields.length, 9); f++) {
      if (f != 4 && f != 5) { // idle, iowait
        busy += Long.parseLong(fields[f]);
      }
    }
    return busy;
  }

  /** utime + stime of a process, or cutime + cstime (its waited-for children) when {@code children}. */
  private static long processTicks(long pid, boolean children) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // fields after the command name, which is in parentheses and may hold spaces
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    int first = children ? 13 : 11; // utime is field 14 of the line, i.e. index 11 after pid and comm
    return Long.parseLong(fields[first]) + Long.parseLong(fields[first + 1]);
  }
}
