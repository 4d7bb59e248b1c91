package org.vaecf.cli;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.vaecf.data.IdIndex;
import org.vaecf.infer.BulkRecommender;
import org.vaecf.infer.Ranking;

/**
 * The {@code user,rank,item,score} lines of {@code recommend-all}, as UTF-8 bytes: each batch is formatted on the
 * worker that ranked it, then written in row order, with progress on the log every two seconds. Ids that contain a
 * comma, a quote or a line break are quoted as RFC 4180 says.
 *
 * <p>Bytes rather than a {@code Writer}: the item ids are encoded once, the rank labels once, and a batch of 50,000
 * lines costs one array copy to write, where a {@code StringBuilder}, its {@code String} and the writer's encoder
 * each copied the batch again (and kept the JIT compiler busy for the first second of a run).
 */
final class CsvRecommendations implements BulkRecommender.Sink<byte[]> {
  static final String HEADER = "user,rank,item,score\n";

  private final OutputStream out;
  private final UserHistories users;
  private final byte[][] itemFields;
  private final byte[][] rankFields;
  private final PrintWriter log;
  private final ThreadLocal<Bytes> buffers = ThreadLocal.withInitial(Bytes::new);
  private final long started = System.nanoTime();
  private long lastReport = started;

  /**
   * @param out where the lines go (the header is written by the caller)
   * @param users the users' ids, by history row
   * @param items the model's item ids
   * @param k the most items per user
   * @param log receives progress lines
   */
  CsvRecommendations(OutputStream out, UserHistories users, IdIndex items, int k, PrintWriter log) {
    this.out = out;
    this.users = users;
    this.itemFields = new byte[items.size()][];
    for (int i = 0; i < items.size(); i++) {
      itemFields[i] = field(items.rawId(i));
    }
    this.rankFields = new byte[k + 1][];
    for (int rank = 1; rank <= k; rank++) {
      rankFields[rank] = Integer.toString(rank).getBytes(StandardCharsets.US_ASCII);
    }
    this.log = log;
  }

  /** The UTF-8 bytes of {@code id} as one CSV field, quoted when it holds a comma, a quote or a line break. */
  static byte[] field(String id) {
    boolean quote = id.indexOf(',') >= 0 || id.indexOf('"') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0;
    return (quote ? '"' + id.replace("\"", "\"\"") + '"' : id).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] prepare(int firstRow, Ranking.Ranked[] ranked) {
    Bytes lines = buffers.get();
    lines.size = 0;
    for (int r = 0; r < ranked.length; r++) {
      byte[] user = field(users.userId(firstRow + r));
      int[] items = ranked[r].items();
      double[] scores = ranked[r].scores();
      for (int i = 0; i < items.length; i++) {
        lines.append(user);
        lines.append((byte) ',');
        lines.append(rankFields[i + 1]);
        lines.append((byte) ',');
        lines.append(itemFields[items[i]]);
        lines.append((byte) ',');
        lines.appendAscii(NumberOutput.toString((float) scores[i], true)); // shortest round-trip digits
        lines.append((byte) '\n');
      }
    }
    return Arrays.copyOf(lines.bytes, lines.size);
  }

  @Override
  public void write(int firstRow, int rows, byte[] lines) throws IOException {
    out.write(lines);
    long now = System.nanoTime();
    if (now - lastReport > 2_000_000_000L) {
      lastReport = now;
      int done = firstRow + rows;
      log.printf(Locale.ROOT, "  %,d of %,d users (%.0f users/s)%n", done, users.histories().rows(),
          done / ((now - started) / 1e9));
      log.flush();
    }
  }

  /** A growable byte array, reused by one worker for its batches. */
  private static final class Bytes {
    byte[] bytes = new byte[1 << 16];
    int size;

    void append(byte value) {
      ensure(1);
      bytes[size++] = value;
    }

    void append(byte[] values) {
      ensure(values.length);
      System.arraycopy(values, 0, bytes, size, values.length);
      size += values.length;
    }

    /** Appends a string of ASCII characters (digits, sign, point, exponent). */
    void appendAscii(String text) {
      int n = text.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        bytes[size++] = (byte) text.charAt(i);
      }
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
      }
    }
  }
}
