package io.ironlake.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads durations such as {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms} or ISO {@code
 * PT90S}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** Parses a duration; throws a {@link CommandLine.TypeConversionException} naming the value. */
  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.startsWith("pt") || v.startsWith("p")) {
      try {
        return Duration.parse(value.trim());
      } catch (RuntimeException e) {
        throw invalid(value);
      }
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw invalid(value);
      }
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms" -> total = total.plusMillis(n);
        case "s" -> total = total.plusSeconds(n);
        case "m" -> total = total.plusMinutes(n);
        case "h" -> total = total.plusHours(n);
        default -> total = total.plusDays(n);
      }
      end = m.end();
    }
    if (end == 0 || end != v.length()) {
      throw invalid(value);
    }
    return total;
  }

  private static CommandLine.TypeConversionException invalid(String value) {
    return new CommandLine.TypeConversionException(
        "Invalid duration '" + value + "': expected e.g. 90s, 5m, 1h30m, 250ms or PT90S");
  }
}
