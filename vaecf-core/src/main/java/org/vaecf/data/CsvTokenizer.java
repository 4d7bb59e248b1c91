package org.vaecf.data;

import java.util.List;

/**
 * Splits one line of delimited text into fields, RFC 4180 style: a field that starts with a double quote runs to the
 * matching closing quote, may contain the delimiter, and writes a literal quote as two quotes. A quote inside an
 * unquoted field is kept as an ordinary character, as spreadsheets and pandas do.
 *
 * <p>A small state machine instead of a CSV library: the reader needs only single-line records (a field spanning
 * lines would hold a line break, which ids may not contain) and exact file:line errors, and it avoids a dependency.
 */
final class CsvTokenizer {
  private final char delimiter;
  private final StringBuilder field = new StringBuilder();

  CsvTokenizer(char delimiter) {
    this.delimiter = delimiter;
  }

  /** The fields of {@code line}, into {@code out} (cleared first). */
  List<String> split(String line, List<String> out) throws BadLineException {
    out.clear();
    int n = line.length();
    int i = 0;
    while (true) {
      if (i < n && line.charAt(i) == '"') {
        int number = out.size() + 1;
        field.setLength(0);
        i++;
        while (true) {
          if (i >= n) {
            throw new BadLineException(
                "field " + number + " opens a double quote that is not closed on this line "
                    + "(expected a closing quote; write a quote inside a quoted field as \"\")");
          }
          char c = line.charAt(i);
          if (c != '"') {
            field.append(c);
            i++;
          } else if (i + 1 < n && line.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
          } else {
            i++;
            break;
          }
        }
        out.add(field.toString());
        if (i == n) {
          return out;
        }
        if (line.charAt(i) != delimiter) {
          throw new BadLineException(
              "unexpected '" + Fields.shown(String.valueOf(line.charAt(i))) + "' after the closing quote of field "
                  + number + " (expected the delimiter or the end of the line)");
        }
        i++;
      } else {
        int end = line.indexOf(delimiter, i);
        if (end < 0) {
          out.add(line.substring(i));
          return out;
        }
        out.add(line.substring(i, end));
        i = end + 1;
      }
      if (i == n) {
        // A delimiter at the very end opens one last, empty field.
        out.add("");
        return out;
      }
    }
  }
}
