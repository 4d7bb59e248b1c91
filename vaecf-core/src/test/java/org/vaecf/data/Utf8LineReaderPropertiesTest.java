package org.vaecf.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Utf8LineReader} against an oracle built from other JDK parts, on byte strings mixing line ends, multi-byte
 * characters, byte-order marks and bytes that are not UTF-8, read through buffers of 1 to 20 bytes so that every
 * border falls everywhere. Here rather than in {@code org.vaecf.fuzz} because the reader is package-private, and named
 * {@code *Test} because surefire's default includes, which this build keeps, pass over {@code *Properties} classes.
 */
class Utf8LineReaderPropertiesTest {
  @Property(tries = 1000)
  void readsWhatTheOracleReads(@ForAll("text") byte[] bytes, @ForAll @IntRange(min = 1, max = 20) int bufferBytes)
      throws IOException {
    List<String> actual = new ArrayList<>();
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes), bufferBytes)) {
      while (true) {
        String line;
        try {
          line = in.readLine();
        } catch (Utf8LineReader.MalformedLineException e) {
          actual.add("error at line " + e.line() + ", byte " + e.position());
          continue;
        }
        if (line == null) {
          break;
        }
        actual.add(line);
      }
    }
    assertThat(actual).containsExactlyElementsOf(oracle(bytes));
  }

  /**
   * Lines cut by {@link BufferedReader} over Latin-1, which maps bytes one to one onto chars and so cuts at the same
   * bytes; each line then decoded strictly, a bad one named by the longest prefix that decodes.
   */
  private static List<String> oracle(byte[] bytes) throws IOException {
    boolean mark = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF;
    String latin1 = new String(bytes, mark ? 3 : 0, bytes.length - (mark ? 3 : 0), StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new StringReader(latin1))) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        byte[] lineBytes = line.getBytes(StandardCharsets.ISO_8859_1);
        try {
          lines.add(decode(lineBytes, lineBytes.length));
        } catch (CharacterCodingException e) {
          int good = lineBytes.length;
          while (!decodes(lineBytes, good)) {
            good--;
          }
          lines.add("error at line " + number + ", byte " + ((number == 1 && mark ? 3 : 0) + good + 1));
        }
      }
    }
    return lines;
  }

  private static String decode(byte[] bytes, int length) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
  }

  private static boolean decodes(byte[] bytes, int length) {
    try {
      decode(bytes, length);
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Provide
  Arbitrary<byte[]> text() {
    List<byte[]> pieces = new ArrayList<>();
    for (String piece : List.of("a", "7,", "\t", "\n", "\r", "\r\n", "é", "日本", "\uD83D\uDE00", "\uFEFF")) {
      pieces.add(piece.getBytes(StandardCharsets.UTF_8));
    }
    // A stray continuation byte, bytes UTF-8 never uses, and the first bytes of characters that are then cut short.
    for (int b : new int[] {0x80, 0xBF, 0xC0, 0xFF, 0xC3, 0xE6, 0xF0, 0xEF, 0xBB}) {
      pieces.add(new byte[] {(byte) b});
    }
    return Arbitraries.of(pieces).list().ofMaxSize(40).map(list -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      list.forEach(out::writeBytes);
      return out.toByteArray();
    });
  }
}
