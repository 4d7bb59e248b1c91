package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaecf.data.AtomicDirectory;

/**
 * {@code vaecf data fetch} against a server on the loopback interface that serves a zip made here (no network):
 * success and the printed prepare command, resume after a cut, a partial file that is already whole (416), a folder
 * it did not unpack, wrong checksum, 404, unknown names, a --mirror that is not an http(s) address.
 */
class DataFetchTest {
  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  /** Bytes of the next zip response after which the connection is dropped, or -1. */
  private volatile int cutAfter = -1;
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  /** The file names asked for, in order, so that a test can tell whether something was downloaded twice or at all. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private byte[] zip;
  private static final String U_DATA = "1\t10\t5\t881250949\n1\t20\t4\t881250950\n2\t10\t3\t881250951\n";

  @BeforeEach
  void serve() throws Exception {
    zip = zip(Map.of("ml-100k/u.data", U_DATA, "ml-100k/README", "test data\n", "ml-100k/sub/u.item", "1|A|\n"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String mirror() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/movielens/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().replaceFirst("^/movielens/", "");
    requests.add(name);
    byte[] body = files.get(name);
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    String range = exchange.getRequestHeaders().getFirst("Range");
    int from = 0;
    if (range != null) {
      ranges.add(range);
      from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
      if (from >= body.length) {
        // what real servers answer when the range starts at or past the end (RFC 9110, 15.5.17)
        exchange.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
        exchange.sendResponseHeaders(416, -1);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
      exchange.sendResponseHeaders(206, body.length - from);
    } else {
      exchange.sendResponseHeaders(200, body.length);
    }
    try (OutputStream out = exchange.getResponseBody()) {
      int end = cutAfter >= 0 && name.endsWith(".zip") ? Math.min(body.length, cutAfter) : body.length;
      out.write(body, from, end - from);
      if (end < body.length) {
        cutAfter = -1;
        out.flush();
        throw new IOException("connection cut by the test");
      }
    }
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("ml-100k/"));
      out.closeEntry();
      for (var entry : new java.util.TreeMap<>(entries).entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      // random bytes do not compress, so the zip is large enough to arrive in several reads
      out.putNextEntry(new ZipEntry("ml-100k/padding.bin"));
      byte[] noise = new byte[300_000];
      new java.util.Random(5).nextBytes(noise);
      out.write(noise);
      out.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private void publish(String md5Text) {
    files.put("ml-100k.zip", zip);
    files.put("ml-100k.zip.md5", md5Text.getBytes(StandardCharsets.UTF_8));
  }

  private CliTest.Run fetch() {
    return CliTest.run("data", "fetch", "ml-100k", "--dir", dir.resolve("data").toString(), "--mirror", mirror());
  }

  @Test
  void fetchesVerifiesUnpacksAndPrintsThePrepareCommand() throws Exception {
    publish("MD5 (ml-100k.zip) = " + md5(zip) + "\n");
    CliTest.Run run = fetch();
    assertThat(run.code()).as(run.err()).isZero();
    Path folder = dir.resolve("data/ml-100k");
    assertThat(Files.readString(folder.resolve("u.data"))).isEqualTo(U_DATA);
    assertThat(folder.resolve("sub/u.item")).exists();
    assertThat(run.out()).contains("MD5 " + md5(zip) + " verified")
        .contains("./vaecf prepare --input " + folder.resolve("u.data")
            + " --format movielens-100k --heldout-users 100 --rng numpy-legacy --out ml-100k-prepared");
    try (var left = Files.list(dir.resolve("data"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("ml-100k"); // no partial file
    }
    CliTest.Run again = fetch();
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("ml-100k is already in");
  }

  @Test
  void aCutDownloadFailsClearlyAndTheNextRunResumesIt() throws Exception {
    publish(md5(zip) + "  ml-100k.zip\n");
    cutAfter = zip.length / 3;
    CliTest.Run cut = fetch();
    assertThat(cut.code()).isEqualTo(1);
    assertThat(cut.err()).contains("was cut short after").contains("run the same command again to resume")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("data/ml-100k")).doesNotExist();
    Path part = dir.resolve("data/.ml-100k.zip.part");
    // the server wrote a third and cut the connection; how much of that arrived before the cut depends on timing
    long kept = Files.size(part);
    assertThat(kept).isPositive().isLessThanOrEqualTo(zip.length / 3);

    CliTest.Run resumed = fetch();
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(ranges).containsExactly("bytes=" + kept + "-");
    assertThat(Files.readString(dir.resolve("data/ml-100k/u.data"))).isEqualTo(U_DATA);
    assertThat(part).doesNotExist();
  }

  @Test
  void aCompletePartialFileIsVerifiedAndUnpackedWithoutASecondDownload() throws Exception {
    // what a run stopped (Ctrl-C) during the checksum or the unpacking leaves behind
    publish(md5(zip) + "  ml-100k.zip\n");
    Path part = dir.resolve("data/.ml-100k.zip.part");
    Files.createDirectories(part.getParent());
    Files.write(part, zip);

    CliTest.Run run = fetch();
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(requests).containsExactly("ml-100k.zip.md5", "ml-100k.zip");
    assertThat(ranges).containsExactly("bytes=" + zip.length + "-");
    assertThat(run.out()).contains("MD5 " + md5(zip) + " verified");
    assertThat(Files.readString(dir.resolve("data/ml-100k/u.data"))).isEqualTo(U_DATA);
    assertThat(part).doesNotExist();
  }

  @Test
  void aPartialFileAnswered416ThatIsNotTheZipIsNeverUnpacked() throws Exception {
    publish(md5(zip) + "  ml-100k.zip\n");
    Path part = dir.resolve("data/.ml-100k.zip.part");
    Files.createDirectories(part.getParent());
    byte[] damaged = zip.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(part, damaged);

    // taken as complete (416 with its own length), it is judged by the checksum like any download
    CliTest.Run run = fetch();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("checksum mismatch for " + mirror() + "ml-100k.zip")
        .contains("MD5 is " + md5(damaged)).contains("the download was deleted, nothing was unpacked")
        .doesNotContain("\tat ");
    assertThat(requests).containsExactly("ml-100k.zip.md5", "ml-100k.zip");
    assertThat(part).doesNotExist();
    assertThat(dir.resolve("data/ml-100k")).doesNotExist();

    CliTest.Run again = fetch();
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(ranges).hasSize(1); // the second run asked for the whole file
    assertThat(Files.readString(dir.resolve("data/ml-100k/u.data"))).isEqualTo(U_DATA);

    // a partial file longer than the zip cannot be the zip: it is dropped and the zip downloaded in the same run
    AtomicDirectory.deleteRecursively(dir.resolve("data/ml-100k"));
    Files.write(part, new byte[zip.length + 10]);
    requests.clear();
    ranges.clear();
    CliTest.Run longer = fetch();
    assertThat(longer.code()).as(longer.err()).isZero();
    assertThat(requests).containsExactly("ml-100k.zip.md5", "ml-100k.zip", "ml-100k.zip");
    assertThat(ranges).containsExactly("bytes=" + (zip.length + 10) + "-");
    assertThat(Files.readString(dir.resolve("data/ml-100k/u.data"))).isEqualTo(U_DATA);
    assertThat(part).doesNotExist();
  }

  @Test
  void aFolderVaecfDidNotUnpackIsRefusedBeforeAnythingIsDownloaded() throws Exception {
    publish(md5(zip) + "  ml-100k.zip\n");
    Path folder = dir.resolve("data/ml-100k"); // e.g. unzipped by hand
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("u.data"), "keep me");

    CliTest.Run run = fetch();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains(folder.toString()).contains("no .vaecf-fetch").contains("nothing was downloaded")
        .contains("move it away").doesNotContain("\tat ");
    assertThat(requests).isEmpty();
    assertThat(folder.resolve("u.data")).hasContent("keep me");
    try (var left = Files.list(dir.resolve("data"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("ml-100k"); // no partial file
    }

    Files.delete(folder.resolve("u.data"));
    Files.delete(folder);
    Files.writeString(folder, "a file, not a folder");
    CliTest.Run onAFile = fetch();
    assertThat(onAFile.code()).isEqualTo(1);
    assertThat(onAFile.err()).contains(folder + " exists and is not a directory").contains("nothing was downloaded");
    assertThat(requests).isEmpty();

    Files.delete(folder);
    Files.createDirectories(folder); // an empty folder holds nothing to lose
    CliTest.Run intoEmpty = fetch();
    assertThat(intoEmpty.code()).as(intoEmpty.err()).isZero();
    assertThat(Files.readString(folder.resolve("u.data"))).isEqualTo(U_DATA);
  }

  @Test
  void aWrongChecksumLeavesNothingBehind() throws Exception {
    publish("0123456789abcdef0123456789abcdef\n");
    CliTest.Run run = fetch();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("checksum mismatch").contains("MD5 is " + md5(zip))
        .contains("nothing was unpacked");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aMissingFileIsA404AndNothingIsCreated() {
    CliTest.Run run = fetch();
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("ml-100k.zip.md5 was not found (HTTP 404)")
        .contains("nothing was downloaded");
    assertThat(dir.resolve("data")).doesNotExist();
    files.put("ml-100k.zip.md5", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    CliTest.Run noZip = fetch();
    assertThat(noZip.code()).isEqualTo(1);
    assertThat(noZip.err()).contains("ml-100k.zip was not found (HTTP 404)");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void unknownNamesAreUsageErrors() {
    CliTest.Run run = CliTest.run("data", "fetch", "ml-10m", "--dir", dir.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("unknown data set 'ml-10m'; known: ml-20m, ml-25m, ml-1m, ml-100k, ml-latest-small");
  }

  @Test
  void aMirrorThatIsNotAnHttpAddressWithAHostIsAUsageError() {
    publish("0123456789abcdef0123456789abcdef\n");
    for (String mirror : List.of("files.example.org/x", "ftp://x/y", "http://", "https:///movielens/")) {
      CliTest.Run run =
          CliTest.run("data", "fetch", "ml-100k", "--dir", dir.resolve("data").toString(), "--mirror", mirror);
      assertThat(run.code()).as(mirror + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).as(mirror).contains("--mirror").contains(mirror).doesNotContain("\tat ");
    }
    assertThat(requests).isEmpty();
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
