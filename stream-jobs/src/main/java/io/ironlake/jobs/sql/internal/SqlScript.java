package io.ironlake.jobs.sql.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits a SQL script into statements at {@code ;}, minding quotes and comments. */
public final class SqlScript {
  private SqlScript() {}

  /** The script's statements, trimmed, without comments-only or empty ones. */
  public static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        i = end < 0 ? n : end;
        continue;
      }
      if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (c == '\'' || c == '`' || c == '"') {
        int end = i + 1;
        while (end < n) {
          if (script.charAt(end) == c) {
            if (end + 1 < n && script.charAt(end + 1) == c) {
              end += 2; // doubled quote inside a literal
              continue;
            }
            break;
          }
          end++;
        }
        current.append(script, i, Math.min(n, end + 1));
        i = end + 1;
        continue;
      }
      if (c == ';') {
        add(statements, current);
        current.setLength(0);
      } else {
        current.append(c);
      }
      i++;
    }
    add(statements, current);
    return statements;
  }

  /** Whether a statement writes to a table (becomes part of the streaming job). */
  public static boolean isInsert(String statement) {
    String s = statement.stripLeading().toUpperCase(Locale.ROOT);
    return s.startsWith("INSERT ");
  }

  private static void add(List<String> statements, StringBuilder current) {
    String s = current.toString().strip();
    if (!s.isEmpty()) {
      statements.add(s);
    }
  }
}
