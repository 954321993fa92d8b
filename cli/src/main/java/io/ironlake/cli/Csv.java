package io.ironlake.cli;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV lines: fields with commas, quotes or line breaks are quoted. */
final class Csv {
  private Csv() {}

  static String line(List<?> fields) {
    return fields.stream().map(Csv::field).collect(Collectors.joining(","));
  }

  static String field(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
