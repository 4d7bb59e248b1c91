package org.vaecf.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.vaecf.data.ColumnRef;
import org.vaecf.data.DataFormatException;
import org.vaecf.data.InteractionFormat;
import org.vaecf.data.InteractionReader;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReaderOptions;

/**
 * Hostile input for every reader: random bytes, text made of the characters that break parsers (delimiters, quotes,
 * CR, LF, BOM, tabs, colons), truncations of valid files and huge fields. Each input must end in a result or a
 * {@link DataFormatException} naming the file — never another exception type, a hang or running out of memory.
 */
class ReaderProperties {
  private Path dir;

  @BeforeProperty
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("vaecf-fuzz");
  }

  @AfterProperty
  void deleteDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  private static final List<ReaderOptions> READERS =
      List.of(
          ReaderOptions.of(InteractionFormat.MOVIELENS_CSV),
          ReaderOptions.of(InteractionFormat.MOVIELENS_100K),
          ReaderOptions.of(InteractionFormat.MOVIELENS_DAT),
          ReaderOptions.of(InteractionFormat.ADJACENCY),
          ReaderOptions.of(InteractionFormat.CSV),
          ReaderOptions.builder(InteractionFormat.CSV)
              .delimiter(';')
              .header(false)
              .userColumn(ColumnRef.index(1))
              .itemColumn(ColumnRef.index(0))
              .ratingColumn(ColumnRef.index(2))
              .timestampColumn(ColumnRef.index(3))
              .build(),
          ReaderOptions.builder(InteractionFormat.CSV).skipBadLines(true).build());

  /** Reads {@code bytes} with every reader: each returns or throws a DataFormatException naming the file. */
  private void readWithEveryReader(byte[] bytes) throws IOException {
    Path file = dir.resolve("input.txt");
    Files.write(file, bytes);
    for (ReaderOptions options : READERS) {
      try {
        Interactions result = new InteractionReader(options).read(file);
        assertThat(result.size()).isPositive();
      } catch (DataFormatException e) {
        assertThat(e.getMessage()).as(options.toString()).contains("input.txt");
      }
    }
  }

  @Property(tries = 300)
  void randomBytes(@ForAll("bytes") byte[] bytes) throws IOException {
    readWithEveryReader(bytes);
  }

  @Property(tries = 300)
  void textFromParserBreakingCharacters(@ForAll("nastyText") String text) throws IOException {
    readWithEveryReader(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 200)
  void truncatedValidFiles(@ForAll("validCsvAndCut") byte[] bytes) throws IOException {
    readWithEveryReader(bytes);
  }

  @Property(tries = 20)
  void hugeFields(@ForAll("hugeField") String text) throws IOException {
    readWithEveryReader(text.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
  }

  @Provide
  Arbitrary<String> nastyText() {
    return Arbitraries.strings()
        .withChars("0123456789abc,;:\t\n\r\"' .-\uFEFFéü\u0000")
        .ofMaxLength(600);
  }

  @Provide
  Arbitrary<byte[]> validCsvAndCut() {
    String valid =
        "userId,movieId,rating,timestamp\r\n1,10,4.0,100\r\n1,\"1,1\",3.5,101\n2,10,5,102\n\uFEFF3,12,1.5,103\n";
    byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
    return Arbitraries.integers()
        .between(0, bytes.length)
        .map(cut -> java.util.Arrays.copyOf(bytes, cut));
  }

  @Provide
  Arbitrary<String> hugeField() {
    return Combinators.combine(
            Arbitraries.integers().between(100_000, 2_000_000), Arbitraries.of(',', '\t', '"', ':'))
        .as((length, filler) -> "userId,movieId,rating,timestamp\n" + "7," + String.valueOf(filler).repeat(length)
            + ",4,5\n");
  }
}
