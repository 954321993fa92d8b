package io.ironlake.jobs.rules.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads values out of a YAML tree, collecting one message per problem ("Invalid value X for
 * `key.path` in FILE: expected ...") instead of stopping at the first.
 */
public final class YamlReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private final String source;
  private final List<String> problems = new ArrayList<>();

  /** A reader of a file (or topic record) named {@code source} in messages. */
  public YamlReader(String source) {
    this.source = source;
  }

  /** The problems found so far. */
  public List<String> problems() {
    return problems;
  }

  /** Records a problem with a value. */
  public void invalid(String path, JsonNode value, String expected) {
    problems.add(
        "Invalid value "
            + show(value)
            + " for `"
            + path
            + "` in "
            + source
            + ": expected "
            + expected);
  }

  /** Records a problem with a value given as text. */
  public void invalid(String path, String value, String expected) {
    problems.add(
        "Invalid value " + value + " for `" + path + "` in " + source + ": expected " + expected);
  }

  /** Records a missing key. */
  public void missing(String path, String expected) {
    problems.add("Missing value for `" + path + "` in " + source + ": expected " + expected);
  }

  /**
   * Whether {@code node} is a mapping; reports it if not, and reports keys not in {@code allowed}.
   */
  public boolean object(JsonNode node, String path, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      invalid(
          path.isEmpty() ? "(top level)" : path,
          node,
          "a mapping with keys " + new TreeSet<>(allowed));
      return false;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        problems.add(
            "Unknown key `"
                + join(path, key)
                + "` in "
                + source
                + ": expected one of "
                + new TreeSet<>(allowed));
      }
    }
    return true;
  }

  /** A number, {@code fallback} when absent; NaN when required and missing. */
  public double number(JsonNode parent, String path, String key, Double fallback) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (fallback == null) {
        missing(join(path, key), "a number");
        return Double.NaN;
      }
      return fallback;
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
      invalid(join(path, key), n, "a number");
      return fallback == null ? Double.NaN : fallback;
    }
    return n.asDouble();
  }

  /** A number or null when absent. */
  public Double optionalNumber(JsonNode parent, String path, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
      invalid(join(path, key), n, "a number");
      return null;
    }
    return n.asDouble();
  }

  /** An integer in {@code [min, max]}, {@code fallback} when absent. */
  public int integer(JsonNode parent, String path, String key, int fallback, int min, int max) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
      invalid(
          join(path, key),
          n,
          max == Integer.MAX_VALUE
              ? "an integer of at least " + min
              : "an integer from " + min + " to " + max);
      return fallback;
    }
    return n.asInt();
  }

  /** A non-blank string, {@code fallback} when absent (null fallback: required). */
  public String text(JsonNode parent, String path, String key, String fallback) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      if (fallback == null) {
        missing(join(path, key), "a text");
      }
      return fallback;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      invalid(join(path, key), n, "a non-empty text");
      return fallback;
    }
    return n.asText();
  }

  /** A list of non-blank strings, {@code fallback} when absent. */
  public List<String> texts(JsonNode parent, String path, String key, List<String> fallback) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isArray()) {
      invalid(join(path, key), n, "a list of texts");
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (!e.isTextual() || e.asText().isBlank()) {
        invalid(join(path, key) + "[" + i + "]", e, "a non-empty text");
      } else {
        out.add(e.asText());
      }
    }
    return out;
  }

  /**
   * A duration such as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601
   * {@code PT10S}; {@code fallback} when absent (null fallback: required). Negative durations are
   * refused; zero only when {@code zeroAllowed}.
   */
  public Duration duration(
      JsonNode parent, String path, String key, Duration fallback, boolean zeroAllowed) {
    JsonNode n = parent.get(key);
    String expected =
        (zeroAllowed ? "zero or a positive" : "a positive")
            + " duration such as 500ms, 10s, 5m, 1h, 1d or PT10S";
    if (n == null || n.isNull()) {
      if (fallback == null) {
        missing(join(path, key), expected);
      }
      return fallback;
    }
    Duration d = n.isTextual() ? parseDuration(n.asText()) : null;
    if (n.isIntegralNumber() && n.asLong() == 0) {
      d = Duration.ZERO;
    }
    if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
      invalid(join(path, key), n, expected);
      return fallback;
    }
    return d;
  }

  /** A local time {@code HH:mm[:ss]}; null (reported) when not one. */
  public LocalTime time(JsonNode n, String path) {
    if (n != null && n.isTextual()) {
      try {
        return LocalTime.parse(n.asText());
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    invalid(path, n, "a local time HH:mm such as \"06:00\" (quoted)");
    return null;
  }

  /** One of an enum's constants (case-insensitive), {@code fallback} when absent. */
  public <E extends Enum<E>> E enumValue(
      JsonNode parent, String path, String key, Class<E> type, E fallback) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (n.isTextual()) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(n.asText())) {
          return e;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    invalid(join(path, key), n, "one of " + names);
    return fallback;
  }

  /** {@code path.key}, or {@code key} at the top. */
  public static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      return null;
    }
    double amount = Double.parseDouble(m.group(1));
    long unitNanos =
        switch (m.group(2)) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default -> 86_400_000_000_000L;
        };
    return Duration.ofNanos(Math.round(amount * unitNanos));
  }

  private static String show(JsonNode n) {
    if (n == null || n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      return "\"" + n.asText() + "\"";
    }
    if (n.isContainerNode()) {
      return n.isArray() ? "(a list)" : "(a mapping)";
    }
    return n.toString();
  }
}
