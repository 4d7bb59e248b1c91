package org.vaecf.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8LineReaderTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Every line of {@code bytes}, read through a buffer that starts at {@code bufferBytes}. */
  private static List<String> lines(byte[] bytes, int bufferBytes) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes), bufferBytes)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
      assertThat(in.readLine()).as("after the end").isNull();
      assertThat(in.lineNumber()).isEqualTo(lines.size());
    }
    return lines;
  }

  private static List<String> lines(String text) throws IOException {
    return lines(utf8(text), Utf8LineReader.INITIAL_BUFFER_BYTES);
  }

  /** What {@link BufferedReader#readLine()} makes of {@code text}: the behaviour the reader keeps. */
  private static List<String> bufferedReaderLines(String text) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new StringReader(text))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** A stream that hands out at most one byte per read, as a pipe or socket may. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void linesEndAtLineFeedCarriageReturnAndCrlfWithoutTheTerminator() throws IOException {
    assertThat(lines("a\nb\r\nc\rd\n")).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aLastLineWithoutTerminatorIsALineAndAFinalTerminatorStartsNone() throws IOException {
    assertThat(lines("a\nlast")).containsExactly("a", "last");
    assertThat(lines("a\n")).containsExactly("a");
    assertThat(lines("a\r")).containsExactly("a");
    assertThat(lines("a\r\n")).containsExactly("a");
    assertThat(lines("")).isEmpty();
  }

  @Test
  void emptyLinesAreReturnedEmpty() throws IOException {
    // "\r\r" is two line ends and "\r\n" one, as for BufferedReader.
    assertThat(lines("\n\r\n\r\rx\n\n")).containsExactly("", "", "", "", "x", "");
    assertThat(lines("\n")).containsExactly("");
  }

  @ParameterizedTest(name = "buffer of {0} bytes")
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 13, 64})
  void splitsAsBufferedReaderWhereverTheBufferEnds(int bufferBytes) throws IOException {
    // Each terminator, and each byte of each multi-byte character, falls on a buffer border for some size.
    String text = "u1,é\r\n\r\n\rx\r\ry\n\n日本\r\n😀 z\r\r\n\n\rlast é";
    List<String> expected = bufferedReaderLines(text);
    assertThat(lines(utf8(text), bufferBytes)).containsExactlyElementsOf(expected);
    List<String> trickled = new ArrayList<>();
    try (Utf8LineReader in = new Utf8LineReader(trickle(utf8(text)), bufferBytes)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        trickled.add(line);
      }
    }
    assertThat(trickled).containsExactlyElementsOf(expected);
  }

  @Test
  void aLineLongerThanTheBufferGrowsIt() throws IOException {
    String ascii = "1234567890".repeat(10_000);
    String mixed = "é日本😀,".repeat(20_000);
    byte[] bytes = utf8("short\n" + ascii + "\r\n" + mixed + "\nafter");
    assertThat(lines(bytes, 16)).containsExactly("short", ascii, mixed, "after");
    assertThat(lines(bytes, Utf8LineReader.INITIAL_BUFFER_BYTES)).containsExactly("short", ascii, mixed, "after");
  }

  @Test
  void multiByteCharactersAreDecoded() throws IOException {
    List<String> lines = lines(utf8("café\n日本\n\uD83D\uDE00 ok\nascii\n"), 3);
    assertThat(lines).containsExactly("café", "日本", "\uD83D\uDE00 ok", "ascii");
    // The emoji is one code point of four bytes, two chars.
    assertThat(lines.get(2).codePointAt(0)).isEqualTo(0x1F600);
    assertThat(lines.get(2)).hasSize(5);
    assertThat(lines.get(0).charAt(3)).isEqualTo('\u00E9');
  }

  @Test
  void aBadByteIsNamedWithItsLineAndPositionAndReadingMayGoOn() throws IOException {
    byte[] bytes = concat(utf8("first\né\nxy"), new byte[] {(byte) 0xFF}, utf8("z\r\nnext\n"));
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes))) {
      assertThat(in.readLine()).isEqualTo("first");
      assertThat(in.readLine()).isEqualTo("é");
      assertThatThrownBy(in::readLine)
          .isInstanceOfSatisfying(Utf8LineReader.MalformedLineException.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.position()).isEqualTo(3);
            assertThat(e.value()).isEqualTo(0xFF);
          })
          .hasMessage("line 3, byte 3 (0xFF) is not valid UTF-8");
      assertThat(in.readLine()).isEqualTo("next");
      assertThat(in.lineNumber()).isEqualTo(4);
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void aMultiByteCharacterCutShortAtTheEndOfTheStreamIsNamedWithItsLine() throws IOException {
    byte[] cut = utf8("日");
    byte[] bytes = concat(utf8("ok\nab"), new byte[] {cut[0], cut[1]});
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes), 4)) {
      assertThat(in.readLine()).isEqualTo("ok");
      assertThatThrownBy(in::readLine).hasMessage("line 2, byte 3 (0xE6) is not valid UTF-8");
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void aMultiByteCharacterCutShortByALineEndIsNamedWithItsLine() throws IOException {
    byte[] bytes = concat(utf8("a\n"), new byte[] {(byte) 0xC3}, utf8("\nb\n"));
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes))) {
      assertThat(in.readLine()).isEqualTo("a");
      assertThatThrownBy(in::readLine).hasMessage("line 2, byte 1 (0xC3) is not valid UTF-8");
      assertThat(in.readLine()).isEqualTo("b");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "80",          // a continuation byte with no lead byte
    "C0 AF",       // an overlong '/'
    "ED A0 80",    // a UTF-16 surrogate, which UTF-8 may not encode
    "F4 90 80 80", // above U+10FFFF
    "FE",          // a byte UTF-8 never uses
  })
  void strictlyRejectsWhatALenientDecoderWouldReplace(String hex) throws IOException {
    String[] parts = hex.split(" ");
    byte[] bad = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bad[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    byte[] bytes = concat(utf8("ok\n"), bad, utf8("\n"));
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes))) {
      in.readLine();
      assertThatThrownBy(in::readLine)
          .isInstanceOfSatisfying(Utf8LineReader.MalformedLineException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.position()).isEqualTo(1);
            assertThat(e.value()).isEqualTo(bad[0] & 0xFF);
          });
    }
  }

  @Test
  void aByteOrderMarkAtTheStartIsDroppedAndOnlyThere() throws IOException {
    assertThat(lines("\uFEFFuserId,movieId\n\uFEFFx\n")).containsExactly("userId,movieId", "\uFEFFx");
    // Through a one-byte buffer and a one-byte stream the mark arrives in pieces.
    try (Utf8LineReader in = new Utf8LineReader(trickle(utf8("\uFEFFa\r\nb")), 1)) {
      assertThat(in.readLine()).isEqualTo("a");
      assertThat(in.readLine()).isEqualTo("b");
    }
    assertThat(lines("\uFEFF")).isEmpty();
    assertThat(lines("\uFEFF\n")).containsExactly("");
    // Two bytes of a mark are no mark, but a bad line.
    assertThatThrownBy(() -> lines(new byte[] {(byte) 0xEF, (byte) 0xBB}, 64))
        .hasMessage("line 1, byte 1 (0xEF) is not valid UTF-8");
  }

  @Test
  void positionsOnLineOneCountTheByteOrderMark() throws IOException {
    // As a hex dump of the file shows them: the mark's three bytes, then 'a', then the bad byte.
    byte[] bytes = concat(utf8("\uFEFFa"), new byte[] {(byte) 0xFF}, utf8("\nb"), new byte[] {(byte) 0xFF});
    try (Utf8LineReader in = new Utf8LineReader(new ByteArrayInputStream(bytes))) {
      assertThatThrownBy(in::readLine).hasMessage("line 1, byte 5 (0xFF) is not valid UTF-8");
      assertThatThrownBy(in::readLine).hasMessage("line 2, byte 2 (0xFF) is not valid UTF-8");
    }
  }

  @Test
  void rejectsAnEmptyBuffer() {
    assertThatThrownBy(() -> new Utf8LineReader(new ByteArrayInputStream(new byte[0]), 0))
        .hasMessage("initialBytes must be >= 1, got 0");
  }
}
