package io.ironlake.bench.collector;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code key=value} arguments of a benchmark driver, each with a default. */
final class BenchArgs {
  private final Map<String, String> values = new HashMap<>();

  private BenchArgs() {}

  /**
   * Parses the arguments; logs go to stderr at WARN and up ({@code ironlake-bench-log4j2.xml}).
   *
   * @throws IllegalArgumentException for an argument that is not {@code key=value} with a known key
   */
  static BenchArgs parse(String[] args, Set<String> keys) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      // Kafka's jars carry a log4j2.yaml that would win over a plain log4j2.xml.
      System.setProperty("log4j2.configurationFile", "ironlake-bench-log4j2.xml");
    }
    BenchArgs a = new BenchArgs();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1 || !keys.contains(arg.substring(0, eq))) {
        throw new IllegalArgumentException(
            "Invalid argument " + arg + ": expected key=value with a key of " + keys);
      }
      a.values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return a;
  }

  int integer(String key, int defaultValue) {
    String v = values.get(key);
    try {
      return v == null ? defaultValue : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid value " + v + " for " + key + ": expected an integer");
    }
  }

  double decimal(String key, double defaultValue) {
    String v = values.get(key);
    try {
      return v == null ? defaultValue : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid value " + v + " for " + key + ": expected a number");
    }
  }

  /**
   * A list of {@code name=value} pairs separated by commas, e.g. {@code
   * producer=batch.size=65536,max.in.flight.requests.per.connection=1}; empty when absent.
   */
  Map<String, String> pairs(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      return out;
    }
    for (String pair : v.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "Invalid value "
                + v
                + " for "
                + key
                + ": expected name=value pairs separated by commas");
      }
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }

  String text(String key, String defaultValue) {
    return values.getOrDefault(key, defaultValue);
  }

  boolean flag(String key, boolean defaultValue) {
    String v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(
          "Invalid value " + v + " for " + key + ": expected true or false");
    }
    return Boolean.parseBoolean(v);
  }
}
