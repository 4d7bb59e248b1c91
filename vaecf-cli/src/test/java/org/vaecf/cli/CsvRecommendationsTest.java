package org.vaecf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** CSV fields of {@code recommend-all}: ids that would break a line or a column are quoted as RFC 4180 says. */
class CsvRecommendationsTest {
  private static String field(String id) {
    return new String(CsvRecommendations.field(id), StandardCharsets.UTF_8);
  }

  @Test
  void plainIdsAreWrittenAsTheyAre() {
    assertThat(field("318")).isEqualTo("318");
    assertThat(field("Amélie (2001)")).isEqualTo("Amélie (2001)");
  }

  @Test
  void idsWithCommasQuotesOrLineBreaksAreQuoted() {
    assertThat(field("a,b")).isEqualTo("\"a,b\"");
    assertThat(field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(field("cr\rhere")).isEqualTo("\"cr\rhere\"");
  }
}
