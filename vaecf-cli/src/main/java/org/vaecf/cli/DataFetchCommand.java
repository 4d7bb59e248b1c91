package org.vaecf.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vaecf.fetch.DataSetFetcher;
import org.vaecf.fetch.DownloadProgress;
import org.vaecf.fetch.Downloader;
import org.vaecf.fetch.KnownDataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vaecf data fetch NAME}: downloads, verifies and unpacks a MovieLens release, then says how to prepare it. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    header = "Download a MovieLens data set from GroupLens, verify its checksum and unpack it.",
    description = {
      "Download NAME (ml-20m, ml-25m, ml-1m, ml-100k, ml-latest-small) from GroupLens' published address, resuming",
      "a partial download, verify the published MD5 checksum, unpack it into DIR/NAME (all or nothing), and print",
      "the 'prepare' command for it (for ml-20m: the paper's settings). Mind the MovieLens terms of use."
    })
final class DataFetchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "ml-20m, ml-25m, ml-1m, ml-100k or ml-latest-small.")
  String name;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Where the data set's folder goes (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      description =
          "Download from this http:// or https:// address instead of GroupLens (it must hold NAME.zip and"
              + " NAME.zip.md5).")
  String mirror; // a String, not a URI, so that every malformed value gets the same message naming --mirror

  @Mixin ProgressOptions progress;

  @Override
  public Integer call() throws Exception {
    KnownDataSet set = OptionErrors.fromOptions(spec, () -> KnownDataSet.fromCliName(name));
    URI base = mirror == null ? KnownDataSet.GROUPLENS : OptionErrors.fromOptions(spec, () -> httpAddress(mirror));
    DataSetFetcher fetcher = new DataSetFetcher(new Downloader(), base);
    DataSetFetcher.Fetched fetched = fetcher.fetch(set, dir, bar(set.zipName()));
    if (fetched.alreadyThere()) {
      out().printf("%s is already in %s%n", set.cliName(), fetched.folder());
    } else {
      out().printf(
          Locale.ROOT, "%s: %,d bytes, MD5 %s verified, unpacked into %s%n", set.cliName(), fetched.bytes(),
          fetched.md5(), fetched.folder());
    }
    out().println("prepare it with:");
    out().println("  " + set.prepareCommand(fetched.folder()));
    return 0;
  }

  /**
   * {@code text} as an address the downloader can fetch from: the HTTP client takes only http and https with a host,
   * and refuses anything else with an exception that names neither the option nor the value.
   *
   * @throws IllegalArgumentException naming --mirror and the value
   */
  private static URI httpAddress(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw notAnHttpAddress(text, e);
    }
    String scheme = uri.getScheme();
    boolean http = scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    if (!http || uri.getHost() == null) {
      throw notAnHttpAddress(text, null);
    }
    return uri;
  }

  private static IllegalArgumentException notAnHttpAddress(String text, URISyntaxException cause) {
    return new IllegalArgumentException(
        "--mirror must be an http:// or https:// address with a host (e.g. https://example.org/movielens/), got '"
            + text + "'",
        cause);
  }

  private DownloadProgress bar(String file) {
    TrainingProgress.Mode mode = progress.mode();
    if (mode == TrainingProgress.Mode.NONE) {
      return DownloadProgress.NONE;
    }
    PrintWriter out = out();
    return new DownloadProgress() {
      private long lastDrawn = Long.MIN_VALUE;
      private long started = System.nanoTime();
      private long firstByte = -1;
      private int lastTenth = -1;

      @Override
      public void update(long done, long total) {
        long now = System.nanoTime();
        if (firstByte < 0) {
          firstByte = done;
          started = now;
        }
        if (mode == TrainingProgress.Mode.LINES) {
          int tenth = total > 0 ? (int) (10 * done / total) : -1;
          if (tenth != lastTenth && tenth >= 0) {
            lastTenth = tenth;
            out.println(line(done, total, now));
            out.flush();
          }
          return;
        }
        if (lastDrawn != Long.MIN_VALUE && now - lastDrawn < TrainingProgress.REDRAW_NANOS && done != total) {
          return;
        }
        lastDrawn = now;
        out.print("\r" + line(done, total, now) + "   ");
        out.flush();
      }

      @Override
      public void finish() {
        if (mode == TrainingProgress.Mode.BAR && lastDrawn != Long.MIN_VALUE) {
          out.println();
        }
        out.flush();
      }

      private String line(long done, long total, long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? (done - firstByte) / seconds : 0;
        if (total <= 0) {
          return String.format(Locale.ROOT, "%s %.1f MB  %.1f MB/s", file, done / 1e6, rate / 1e6);
        }
        int filled = (int) Math.round(28.0 * done / total);
        return String.format(
            Locale.ROOT, "%s %s%s %.1f/%.1f MB  %.1f MB/s  %s left", file, "█".repeat(filled),
            "░".repeat(28 - filled), done / 1e6, total / 1e6, rate / 1e6,
            TrainingProgress.clock(rate > 0 ? (total - done) / rate : Double.NaN));
      }
    };
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
