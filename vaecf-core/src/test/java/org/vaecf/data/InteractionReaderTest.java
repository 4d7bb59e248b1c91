package org.vaecf.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InteractionReaderTest {
  private static final String ML_HEADER = "userId,movieId,rating,timestamp\n";

  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static Interactions read(InteractionFormat format, Path... files) {
    return new InteractionReader(ReaderOptions.of(format)).read(files);
  }

  private static ReaderOptions.Builder csv() {
    return ReaderOptions.builder(InteractionFormat.CSV);
  }

  @Test
  void readsMovieLensCsvWithBomAndCrlf() throws IOException {
    Path f = file("ratings.csv", "\uFEFFuserId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n\r\n1,1029,3.0,1260759179\r\n7,31,5,1\r\n");
    Interactions data = read(InteractionFormat.MOVIELENS_CSV, f);
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.users().ids()).containsExactly("1", "7");
    assertThat(data.items().ids()).containsExactly("31", "1029");
    assertThat(data.rating(0)).isEqualTo(2.5f);
    assertThat(data.timestamp(1)).isEqualTo(1260759179L);
    assertThat(data.user(2)).isEqualTo(1);
    assertThat(data.item(2)).isZero();
    // The blank line is neither data nor a bad line.
    assertThat(data.report()).isEqualTo(new ReadReport(List.of(f.toString()), 3, 0, 0, "movielens-csv"));
  }

  @Test
  void readsMovieLens100kAndDat() throws IOException {
    Interactions u = read(InteractionFormat.MOVIELENS_100K, file("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n"));
    assertThat(u.users().ids()).containsExactly("196", "186");
    assertThat(u.rating(1)).isEqualTo(3f);
    assertThat(u.timestamp(1)).isEqualTo(891717742L);
    Interactions dat = read(InteractionFormat.MOVIELENS_DAT, file("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n"));
    assertThat(dat.items().ids()).containsExactly("1193", "661");
    assertThat(dat.rating(0)).isEqualTo(5f);
    assertThat(dat.report().format()).isEqualTo("movielens-dat");
  }

  @Test
  void rejectsAWrongMovieLensHeader() throws IOException {
    Path f = file("ratings.csv", "user,item,rating,timestamp\n1,2,3,4\n");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_CSV, f))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(f + ":1: header 'user,item,rating,timestamp' is not the MovieLens ratings.csv header "
            + "(expected userId,movieId,rating,timestamp)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
    "too few fields       | 1,2,3             | expected 4 comma-separated fields (userId,movieId,rating,timestamp), found 3",
    "too many fields      | 1,2,3,4,5         | expected 4 comma-separated fields (userId,movieId,rating,timestamp), found 5",
    "empty user           | ,2,3,4            | user id is empty (expected a non-empty id)",
    "empty item           | 1,,3,4            | item id is empty (expected a non-empty id)",
    "text rating          | 1,2,abc,4         | rating 'abc' is not a number (expected a non-negative decimal)",
    "NaN rating           | 1,2,NaN,4         | rating 'NaN' is not a number (expected a non-negative decimal)",
    "infinite rating      | 1,2,Infinity,4    | rating 'Infinity' is not a number (expected a non-negative decimal)",
    "suffixed rating      | 1,2,4.0f,4        | rating '4.0f' is not a number (expected a non-negative decimal)",
    "negative rating      | 1,2,-1,4          | rating '-1' is negative (expected a non-negative decimal)",
    "huge rating          | 1,2,1e39,4        | rating '1e39' is too large (expected a non-negative decimal below 3.4e38)",
    "text timestamp       | 1,2,3,yesterday   | timestamp 'yesterday' is not an integer (expected a whole number such as seconds since 1970)",
    "decimal timestamp    | 1,2,3,1.5         | timestamp '1.5' is not an integer (expected a whole number such as seconds since 1970)",
  })
  void namesFileLineAndProblemOfAMalformedMovieLensLine(String kind, String badLine, String problem)
      throws IOException {
    Path f = file("ratings.csv", ML_HEADER + "1,5,4.0,10\n" + badLine + "\n");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_CSV, f))
        .isInstanceOfSatisfying(DataFormatException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(f + ":3: " + problem);
          assertThat(e.line()).hasValue(3);
          assertThat(e.problem()).isEqualTo(problem);
        });
  }

  @Test
  void fieldCountMessagesOfTheOtherMovieLensLayouts() throws IOException {
    Path u = file("u.data", "1 2 3 4\n");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_100K, u))
        .hasMessage(u + ":1: expected 4 tab-separated fields (user, item, rating, timestamp), found 1");
    Path dat = file("ratings.dat", "1::2::3::4\n1:2:3:4\n");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_DAT, dat))
        .hasMessage(dat + ":2: expected 4 '::'-separated fields (user::item::rating::timestamp), found 1");
  }

  @Test
  void rejectsIdsWithATab() throws IOException {
    Path f = file("log.csv", "u,i\n\"a\tb\",x\n");
    assertThatThrownBy(() -> new InteractionReader(csv().build()).read(f))
        .hasMessage(f + ":2: user id 'a\\tb' contains a tab or line break (expected an id without them)");
  }

  @Test
  void skipsAndCountsBadLinesWhenAsked() throws IOException {
    Path f = file("ratings.csv", ML_HEADER + "1,2,3,4\n1,2\n1,3,abc,4\n\n2,3,-2,4\n2,2,5,6\n");
    ReaderOptions options = ReaderOptions.builder(InteractionFormat.MOVIELENS_CSV).skipBadLines(true).build();
    Interactions data = new InteractionReader(options).read(f);
    assertThat(data.size()).isEqualTo(2);
    assertThat(data.report().linesRead()).isEqualTo(5);
    assertThat(data.report().skippedLines()).isEqualTo(3);
  }

  @Test
  void skippingNeverHidesABadHeader() throws IOException {
    Path f = file("ratings.csv", "userId;movieId;rating;timestamp\n1,2,3,4\n");
    ReaderOptions options = ReaderOptions.builder(InteractionFormat.MOVIELENS_CSV).skipBadLines(true).build();
    assertThatThrownBy(() -> new InteractionReader(options).read(f)).hasMessageStartingWith(f + ":1: header");
  }

  @Test
  void inputWithoutInteractionsIsAnErrorNamingTheFiles() throws IOException {
    Path empty = file("empty.csv", "");
    Path headerOnly = file("header.csv", ML_HEADER + "\n");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_CSV, empty, headerOnly))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(empty + ", " + headerOnly + ": no interactions found (0 data lines read, 0 skipped as malformed); "
            + "expected at least one movielens-csv interaction");
    Path allBad = file("bad.csv", ML_HEADER + "x\n");
    ReaderOptions skipping = ReaderOptions.builder(InteractionFormat.MOVIELENS_CSV).skipBadLines(true).build();
    assertThatThrownBy(() -> new InteractionReader(skipping).read(allBad))
        .hasMessageContaining("no interactions found (1 data lines read, 1 skipped as malformed)");
    Path usersOnly = file("train.txt", "0\n1\n");
    assertThatThrownBy(() -> read(InteractionFormat.ADJACENCY, usersOnly)).hasMessageContaining("no interactions");
  }

  @Test
  void missingFileIsNamedBeforeAnythingIsRead() throws IOException {
    Path good = file("ok.data", "1\t2\t3\t4\n");
    Path missing = dir.resolve("nope.data");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_100K, good, missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("input file " + missing + " does not exist");
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_100K, dir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("is a directory");
    assertThatThrownBy(() -> new InteractionReader(ReaderOptions.of(InteractionFormat.CSV)).read(List.of()))
        .hasMessage("no input files given");
  }

  @Test
  void unknownFormatNameListsTheValidOnes() {
    assertThat(InteractionFormat.fromCliName("MovieLens-100K")).isEqualTo(InteractionFormat.MOVIELENS_100K);
    assertThatThrownBy(() -> InteractionFormat.fromCliName("parquet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown input format 'parquet' "
            + "(valid: movielens-csv, movielens-100k, movielens-dat, csv, adjacency)");
  }

  @Test
  void mergesAndCountsDuplicatePairsKeepingTheFirstPositionAndTheHighestRating() throws IOException {
    Path f = file("u.data", "1\t10\t2\t100\n1\t11\t4\t50\n1\t10\t5\t90\n1\t10\t1\t300\n");
    Interactions data = read(InteractionFormat.MOVIELENS_100K, f);
    assertThat(data.size()).isEqualTo(2);
    assertThat(data.report().duplicatePairs()).isEqualTo(2);
    assertThat(data.report().linesRead()).isEqualTo(4);
    assertThat(data.items().rawId(data.item(0))).isEqualTo("10");
    assertThat(data.rating(0)).isEqualTo(5f);
    assertThat(data.timestamp(0)).isEqualTo(300L);
  }

  @Test
  void quotedCsvFieldsMayHoldTheDelimiterAndQuotes() throws IOException {
    Path f = file("log.csv",
        "who;what;stars;when\n\"Smith; J.\";\"The \"\"Best\"\" one\";4.5;7\nplain;\"\";3;8\n\"x\";y;1;9\n");
    ReaderOptions.Builder options = csv().delimiter(';')
        .userColumn(ColumnRef.named("who")).itemColumn(ColumnRef.named("what"))
        .ratingColumn(ColumnRef.parse("stars")).timestampColumn(ColumnRef.parse("3"));
    assertThatThrownBy(() -> new InteractionReader(options.build()).read(f))
        .hasMessage(f + ":3: item id is empty (expected a non-empty id)");
    Interactions data = new InteractionReader(options.skipBadLines(true).build()).read(f);
    assertThat(data.users().ids()).containsExactly("Smith; J.", "x");
    assertThat(data.items().ids()).containsExactly("The \"Best\" one", "y");
    assertThat(data.rating(0)).isEqualTo(4.5f);
    assertThat(data.timestamp(1)).isEqualTo(9L);
    assertThat(data.report().skippedLines()).isEqualTo(1);
  }

  @Test
  void csvQuotingErrorsAndFieldCounts() throws IOException {
    ReaderOptions options = csv().build();
    Path open = file("open.csv", "u,i\n\"a,b\n");
    assertThatThrownBy(() -> new InteractionReader(options).read(open))
        .hasMessage(open + ":2: field 1 opens a double quote that is not closed on this line "
            + "(expected a closing quote; write a quote inside a quoted field as \"\")");
    Path trailing = file("trailing.csv", "u,i\n\"a\"b,c\n");
    assertThatThrownBy(() -> new InteractionReader(options).read(trailing))
        .hasMessage(trailing + ":2: unexpected 'b' after the closing quote of field 1 "
            + "(expected the delimiter or the end of the line)");
    Path wide = file("wide.csv", "u,i\na,b,c\n");
    assertThatThrownBy(() -> new InteractionReader(options).read(wide))
        .hasMessage(wide + ":2: expected 2 ','-separated fields like the header, found 3");
    Path narrow = file("narrow.tsv", "a\tb\tc\nd\te\n");
    ReaderOptions noHeader = csv().delimiter('\t').header(false).itemColumn(ColumnRef.index(2)).build();
    assertThatThrownBy(() -> new InteractionReader(noHeader).read(narrow))
        .hasMessage(narrow + ":2: expected at least 3 '\\t'-separated fields (to reach column 2), found 2");
  }

  @Test
  void csvHeaderMustNameTheChosenColumns() throws IOException {
    Path f = file("log.csv", "user,item\n1,2\n");
    ReaderOptions byName = csv().itemColumn(ColumnRef.named("movie")).build();
    assertThatThrownBy(() -> new InteractionReader(byName).read(f))
        .hasMessage(f + ":1: the header has no column named 'movie' (columns: user, item)");
    ReaderOptions byIndex = csv().ratingColumn(ColumnRef.index(2)).build();
    assertThatThrownBy(() -> new InteractionReader(byIndex).read(f))
        .hasMessage(f + ":1: the header has 2 columns, so there is no column 2 (columns are 0-based)");
  }

  @Test
  void csvWithoutRatingColumnHasNoRatings() throws IOException {
    Path f = file("log.tsv", "a\tb\nc\td\n");
    Interactions data = new InteractionReader(csv().delimiter('\t').header(false).build()).read(f);
    assertThat(data.hasRatings()).isFalse();
    assertThat(data.hasTimestamps()).isFalse();
    assertThat(data.users().ids()).containsExactly("a", "c");
  }

  @Test
  void readsSeveralAdjacencyFilesIntoOneLog() throws IOException {
    Path train = file("train.txt", "0 5 6 7\n1 5\r\n2\n\n");
    Path test = file("test.txt", "0 8\n1\t6  5\n3 9\n");
    Interactions data = read(InteractionFormat.ADJACENCY, train, test);
    assertThat(data.users().ids()).containsExactly("0", "1", "3");
    assertThat(data.items().ids()).containsExactly("5", "6", "7", "8", "9");
    // 0-5 0-6 0-7 1-5 | 0-8 1-6 3-9, and 1-5 again (merged); user 2's line has no items.
    assertThat(data.size()).isEqualTo(7);
    assertThat(data.report().duplicatePairs()).isEqualTo(1);
    assertThat(data.report().linesRead()).isEqualTo(6);
    assertThat(data.report().sources()).containsExactly(train.toString(), test.toString());
    assertThat(data.hasRatings()).isFalse();
  }

  @Test
  void invalidUtf8IsNamedWithItsLine() throws IOException {
    Path f = dir.resolve("bad.data");
    Files.write(f, new byte[] {'1', '\t', '2', '\t', '3', '\t', '4', '\n', '1', '\t', (byte) 0xff, '\t', '3', '\t', '4', '\n'});
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_100K, f))
        .isInstanceOfSatisfying(DataFormatException.class, e -> assertThat(e.line()).hasValue(2))
        .hasMessage(f + ":2: is not valid UTF-8 text at byte 3 of the line, 0xFF (expected UTF-8)");
  }

  @Test
  void invalidUtf8FarDownAFileIsNamedWithItsOwnLine() throws IOException {
    // 5,000 lines of 24 bytes put the bad byte near byte 120,000, two 64K buffers in: the old reader, whose decoder
    // failed while filling a buffer, named the line after the last one it had returned (2,731 here).
    StringBuilder text = new StringBuilder();
    for (int i = 1; i < 5_000; i++) {
      text.append(String.format("%5d\t%5d\t3\t881250949\n", i, 1 + i % 1_000));
    }
    byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] bad = "5000\tcaf\u00e9\t3\t881250949\n".getBytes(StandardCharsets.ISO_8859_1);
    Path f = dir.resolve("u.data");
    Files.write(f, java.nio.ByteBuffer.allocate(good.length + bad.length).put(good).put(bad).array());
    assertThat(good.length).isGreaterThan(1 << 16);
    assertThatThrownBy(() -> read(InteractionFormat.MOVIELENS_100K, f))
        .hasMessage(f + ":5000: is not valid UTF-8 text at byte 9 of the line, 0xE9 (expected UTF-8)");
    // Skipping malformed lines does not extend to bytes that are not text.
    ReaderOptions skipping = ReaderOptions.builder(InteractionFormat.MOVIELENS_100K).skipBadLines(true).build();
    assertThatThrownBy(() -> new InteractionReader(skipping).read(f))
        .isInstanceOfSatisfying(DataFormatException.class, e -> assertThat(e.line()).hasValue(5_000));
  }

  @Test
  void readsNonAsciiIdsAndAByteOrderMarkInFrontOfThem() throws IOException {
    Path f = file("log.csv", "\uFEFFuser,item\r\ncafé,日本\r\n\uD83D\uDE00,x\n");
    Interactions data = new InteractionReader(csv().build()).read(f);
    assertThat(data.users().ids()).containsExactly("café", "\uD83D\uDE00");
    assertThat(data.items().ids()).containsExactly("日本", "x");
  }

  @Test
  void optionsRejectSettingsThatDoNotApply() {
    assertThatThrownBy(() -> ReaderOptions.builder(InteractionFormat.MOVIELENS_100K).delimiter(';').build())
        .hasMessage("delimiter can only be set for the csv format; the movielens-100k format fixes its own layout");
    assertThatThrownBy(() -> csv().header(false).userColumn(ColumnRef.named("user")).build())
        .hasMessage("column 'user' is given by name, but the files have no header line; give its index instead");
    assertThatThrownBy(() -> csv().itemColumn(ColumnRef.index(0)).build())
        .hasMessage("user, item, rating and timestamp must be different columns; column 0 is used twice");
    assertThatThrownBy(() -> csv().delimiter('"').build()).hasMessageContaining("double quote");
    assertThatThrownBy(() -> ColumnRef.index(-1)).hasMessage("column index must be >= 0, got -1");
    assertThat(ColumnRef.parse("12")).isEqualTo(ColumnRef.index(12));
    assertThat(ColumnRef.parse("user_1")).isEqualTo(ColumnRef.named("user_1"));
  }

  @Test
  void readsTheSharedRealFilesWithTheirPublishedCounts() {
    Path u = SharedFixtures.require("data/ml-100k/u.data");
    Interactions ml100k = read(InteractionFormat.MOVIELENS_100K, u);
    assertThat(ml100k.size()).isEqualTo(100_000);
    assertThat(ml100k.users().size()).isEqualTo(943);
    assertThat(ml100k.items().size()).isEqualTo(1_682);

    Interactions small = read(InteractionFormat.MOVIELENS_CSV, SharedFixtures.require("data/ml-latest-small/ratings.csv"));
    assertThat(small.size()).isEqualTo(100_836);
    assertThat(small.users().size()).isEqualTo(610);
    assertThat(small.items().size()).isEqualTo(9_724);

    Path train = SharedFixtures.require("data/gowalla-lightgcn/train.txt");
    Path test = SharedFixtures.require("data/gowalla-lightgcn/test.txt");
    Interactions gowalla = read(InteractionFormat.ADJACENCY, train, test);
    assertThat(gowalla.size()).isEqualTo(1_027_370);
    assertThat(gowalla.users().size()).isEqualTo(29_858);
    assertThat(gowalla.items().size()).isEqualTo(40_981);
    assertThat(gowalla.report().duplicatePairs()).isZero();
  }
}
