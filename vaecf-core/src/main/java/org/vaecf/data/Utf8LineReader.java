package org.vaecf.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads a byte stream line by line and decodes each line as strict UTF-8, so that bytes which are not UTF-8 are
 * reported with the number of the line that holds them and their position in it.
 *
 * <p>A {@link java.io.BufferedReader} over a reporting decoder cannot do this: the decoder works ahead on whole
 * buffers and throws while filling one, before the lines in front of the bad byte have been handed out, so the caller
 * can only guess a line — often thousands of lines too early. Here the bytes are cut into lines first and each line is
 * decoded on its own. Lines end as for {@link java.io.BufferedReader#readLine()}: at {@code "\n"}, {@code "\r"} or
 * {@code "\r\n"}, the terminator not included, and a last line without terminator is still a line. Cutting bytes is
 * exact because neither terminator byte can occur inside a multi-byte UTF-8 sequence.
 *
 * <p>A byte-order mark at the start of the stream is dropped. A line of ASCII bytes only — nearly every line of a
 * rating log — becomes a string by a plain copy; only the other lines go through the decoder, which reports malformed
 * input instead of replacing it (a mangled id would silently be another user).
 *
 * <p>Used for every text file vaecf reads line by line (interaction logs, prepared data). Not thread-safe; one reader
 * per stream.
 */
public final class Utf8LineReader implements Closeable {
  /** The buffer's first size: as large as the old {@code BufferedReader}'s, so the stream is read in the same steps. */
  static final int INITIAL_BUFFER_BYTES = 1 << 16;

  /** The largest array most JVMs will allocate. */
  private static final int MAX_BUFFER_BYTES = Integer.MAX_VALUE - 8;

  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** Bytes read and not yet returned are {@code buffer[start..end)}; the array grows to hold the longest line. */
  private byte[] buffer;
  private int start;
  private int end;
  private boolean endOfStream;
  /** Whether the stream's first bytes have been checked for a byte-order mark. */
  private boolean started;
  /** Bytes of a byte-order mark dropped before line 1, counted in its byte positions. */
  private int markBytes;
  /** The last line ended with '\r' as the last buffered byte: a '\n' read next still belongs to that terminator. */
  private boolean lineFeedPending;
  private long lineNumber;
  /** The decoder's output for lines that are not all ASCII; grows like {@link #buffer}. */
  private char[] chars = new char[0];

  /** A reader of {@code in}, which it closes when closed. */
  public Utf8LineReader(InputStream in) {
    this(in, INITIAL_BUFFER_BYTES);
  }

  /** A reader whose buffer starts at {@code initialBytes}; tests use a tiny one to cross buffer borders. */
  Utf8LineReader(InputStream in, int initialBytes) {
    this.in = Objects.requireNonNull(in, "in");
    if (initialBytes < 1) {
      throw new IllegalArgumentException("initialBytes must be >= 1, got " + initialBytes);
    }
    this.buffer = new byte[initialBytes];
  }

  /**
   * The next line without its terminator, or {@code null} at the end of the stream.
   *
   * @throws MalformedLineException when the line is not UTF-8; the line is consumed, so reading may go on with the
   *     next one
   * @throws IOException when the stream cannot be read, or a line does not fit in an array
   */
  public String readLine() throws IOException {
    if (!started) {
      skipByteOrderMark();
    }
    if (lineFeedPending) {
      lineFeedPending = false;
      if ((start < end || fill()) && buffer[start] == '\n') {
        start++;
      }
    }
    int i = start;
    // The bytes OR-ed together: negative as soon as one of them is 0x80 or above, i.e. not ASCII.
    int seen = 0;
    while (true) {
      byte[] bytes = buffer;
      int limit = end;
      while (i < limit) {
        byte b = bytes[i];
        if (b == '\n' || b == '\r') {
          break;
        }
        seen |= b;
        i++;
      }
      if (i < limit) {
        int from = start;
        if (bytes[i] == '\n') {
          start = i + 1;
        } else if (i + 1 < limit) {
          start = bytes[i + 1] == '\n' ? i + 2 : i + 1;
        } else {
          // The '\r' is the last byte read; whether a '\n' follows is known only after the next fill.
          start = i + 1;
          lineFeedPending = true;
        }
        return line(from, i, seen < 0);
      }
      int scanned = i - start;
      if (!fill()) {
        if (start == end) {
          return null;
        }
        int from = start;
        start = end;
        return line(from, end, seen < 0);
      }
      i = start + scanned;
    }
  }

  /** The number of lines returned so far, counting one that was reported as malformed. */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void skipByteOrderMark() throws IOException {
    started = true;
    while (end - start < BYTE_ORDER_MARK.length && fill()) {
      // A stream may hand out fewer bytes than asked; the mark may arrive in pieces.
    }
    if (end - start >= BYTE_ORDER_MARK.length
        && buffer[start] == BYTE_ORDER_MARK[0]
        && buffer[start + 1] == BYTE_ORDER_MARK[1]
        && buffer[start + 2] == BYTE_ORDER_MARK[2]) {
      start += BYTE_ORDER_MARK.length;
      markBytes = BYTE_ORDER_MARK.length;
    }
  }

  /** Line {@code buffer[from..to)}, counted, as a string. */
  private String line(int from, int to, boolean nonAscii) throws MalformedLineException {
    lineNumber++;
    int length = to - from;
    if (!nonAscii) {
      // Latin-1 maps each byte below 0x80 to the same char, with no decoder and a compact string.
      return new String(buffer, from, length, StandardCharsets.ISO_8859_1);
    }
    if (chars.length < length) {
      chars = new char[Math.max(length, Math.min(2 * chars.length, MAX_BUFFER_BYTES))];
    }
    ByteBuffer input = ByteBuffer.wrap(buffer, from, length);
    // UTF-8 never gives more chars than bytes, so the output cannot overflow.
    CharBuffer output = CharBuffer.wrap(chars);
    decoder.reset();
    CoderResult result = decoder.decode(input, output, true);
    if (!result.isError()) {
      result = decoder.flush(output);
    }
    if (result.isError()) {
      int offset = input.position() - from;
      int positionInLine = (lineNumber == 1 ? markBytes : 0) + offset + 1;
      throw new MalformedLineException(lineNumber, positionInLine, buffer[input.position()] & 0xFF);
    }
    return new String(chars, 0, output.position());
  }

  /**
   * Reads more bytes after those buffered, first moving the unreturned ones to the front or, when they fill the whole
   * buffer (a line longer than it), growing it.
   *
   * @return false at the end of the stream
   */
  private boolean fill() throws IOException {
    if (endOfStream) {
      return false;
    }
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
    } else if (end == buffer.length) {
      if (buffer.length == MAX_BUFFER_BYTES) {
        throw new IOException(
            "line " + (lineNumber + 1) + " is longer than " + MAX_BUFFER_BYTES + " bytes (expected lines of text)");
      }
      byte[] larger = new byte[(int) Math.min(2L * buffer.length, MAX_BUFFER_BYTES)];
      System.arraycopy(buffer, 0, larger, 0, end);
      buffer = larger;
    }
    int n;
    do {
      // There is always room here, so a stream that keeps its contract never returns 0.
      n = in.read(buffer, end, buffer.length - end);
    } while (n == 0);
    if (n < 0) {
      endOfStream = true;
      return false;
    }
    end += n;
    return true;
  }

  /**
   * A line that is not UTF-8: its 1-based number, and the 1-based position in it of the first byte that does not
   * belong to a UTF-8 character (a stray continuation byte, a byte UTF-8 never uses, or the start of a sequence that is
   * cut short, overlong or encodes a surrogate). Positions count the line's bytes as they are in the stream, a
   * byte-order mark on line 1 included.
   */
  public static final class MalformedLineException extends CharacterCodingException {
    private static final long serialVersionUID = 1L;

    private final long line;
    private final int position;
    private final int value;

    MalformedLineException(long line, int position, int value) {
      this.line = line;
      this.position = position;
      this.value = value;
    }

    /** The 1-based line number. */
    public long line() {
      return line;
    }

    /** The 1-based position in the line of the first byte that is not UTF-8. */
    public int position() {
      return position;
    }

    /** That byte, 0 to 255. */
    public int value() {
      return value;
    }

    /** What a reader tells the user, after the file and line: the byte, where it is, and what was expected. */
    public String problem() {
      return String.format("is not valid UTF-8 text at byte %d of the line, 0x%02X (expected UTF-8)", position, value);
    }

    @Override
    public String getMessage() {
      return String.format("line %d, byte %d (0x%02X) is not valid UTF-8", line, position, value);
    }
  }
}
