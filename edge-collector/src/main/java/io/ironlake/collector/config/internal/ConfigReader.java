package io.ironlake.collector.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.ironlake.collector.config.ConfigKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML tree key by key and collects one message per problem, each naming the file, the key
 * path and what was expected. Readers return {@code null} (or the default) after a problem, so one
 * pass finds every problem.
 */
public final class ConfigReader {
  private final String file;
  private final List<String> problems = new ArrayList<>();

  public ConfigReader(String file) {
    this.file = file;
  }

  /** The problems found so far, in the order found. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Records a problem with a value: {@code Invalid value "x" for a.b in FILE: expected ...}. */
  public void invalid(String keyPath, JsonNode value, String expected) {
    problems.add(
        "Invalid value "
            + describe(value)
            + " for "
            + keyPath
            + " in "
            + file
            + ": expected "
            + expected);
  }

  /** Records a problem in the words given, followed by {@code in FILE}. */
  public void problem(String what, String keyPath, String detail) {
    problems.add(what + " " + keyPath + " in " + file + ": " + detail);
  }

  /** The top level of the file, which must be a mapping. */
  public Section root(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      problems.add(
          "Invalid config in "
              + file
              + ": the file is empty, expected a mapping with the keys"
              + " collector, kafka and sources");
      return null;
    }
    if (!node.isObject()) {
      problems.add(
          "Invalid config in "
              + file
              + ": the top level is "
              + describe(node)
              + ", expected a mapping with the keys collector, kafka and sources");
      return null;
    }
    return new Section(node, "");
  }

  private static final java.util.regex.Pattern BYTES =
      java.util.regex.Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB|TiB)?");

  /** Bytes of {@code 123}, {@code 64KiB}, {@code 1GiB} ...; null when it is not a size. */
  static Long parseBytes(String text) {
    java.util.regex.Matcher m = BYTES.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2) == null ? "B" : m.group(2)) {
          case "KiB" -> 10;
          case "MiB" -> 20;
          case "GiB" -> 30;
          case "TiB" -> 40;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      return null;
    }
    return n << shift;
  }

  static String describe(JsonNode value) {
    if (value == null || value.isNull()) {
      return "(empty)";
    }
    if (value.isObject()) {
      return "(a mapping)";
    }
    if (value.isArray()) {
      return "(a list)";
    }
    return '"' + value.asText() + '"';
  }

  /** One mapping of the file, at a key path such as {@code sources[1]}. */
  public final class Section {
    private final JsonNode node;
    private final String path;

    Section(JsonNode node, String path) {
      this.node = node;
      this.path = path;
    }

    /** The path of this mapping, e.g. {@code sources[1]}; empty at the top level. */
    public String path() {
      return path;
    }

    /** The path of one of its keys, e.g. {@code sources[1].qos}. */
    public String keyPath(ConfigKey key) {
      return keyPath(key.name());
    }

    String keyPath(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    /** Whether the key is present with a non-null value. */
    public boolean has(ConfigKey key) {
      JsonNode v = node.get(key.name());
      return v != null && !v.isNull();
    }

    /** The raw value of a key, or {@code null}. */
    public JsonNode raw(ConfigKey key) {
      return node.get(key.name());
    }

    private JsonNode value(ConfigKey key) {
      JsonNode v = node.get(key.name());
      if (v == null || v.isNull()) {
        if (key.required()) {
          problem("Missing key", keyPath(key), "expected " + key.doc());
        }
        return null;
      }
      return v;
    }

    /** Refuses keys that are not among {@code known}, listing the known ones. */
    public void refuseUnknown(List<ConfigKey> known) {
      List<String> names = known.stream().map(ConfigKey::name).collect(Collectors.toList());
      Iterator<String> it = node.fieldNames();
      while (it.hasNext()) {
        String name = it.next();
        if (!names.contains(name)) {
          problem("Unknown key", keyPath(name), "expected one of " + String.join(", ", names));
        }
      }
    }

    /** A string; {@code def} when absent (null when required and absent). */
    public String string(ConfigKey key, String def) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      if (!v.isValueNode()) {
        invalid(keyPath(key), v, key.type());
        return def;
      }
      return v.asText();
    }

    /** A string that matches {@code regex}, described by {@code expected} otherwise. */
    public String matching(ConfigKey key, String def, String regex, String expected) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      if (!v.isValueNode() || !v.asText().matches(regex)) {
        invalid(keyPath(key), v, expected);
        return def;
      }
      return v.asText();
    }

    /** An integer from {@code min} to {@code max}; a quoted integer is accepted too. */
    public int integer(ConfigKey key, int def, int min, int max, String expected) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      Long parsed = null;
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        parsed = v.asLong();
      } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,18}")) {
        parsed = Long.parseLong(v.asText().trim());
      }
      if (parsed == null || parsed < min || parsed > max) {
        invalid(keyPath(key), v, expected);
        return def;
      }
      return parsed.intValue();
    }

    /** An integer from {@code min} to {@code max}, expectation worded from the range. */
    public int integer(ConfigKey key, int def, int min, int max) {
      return integer(key, def, min, max, "an integer from " + min + " to " + max);
    }

    /**
     * A size in bytes from {@code min} to {@code max}: an integer, or a whole number with B, KiB,
     * MiB, GiB or TiB (e.g. {@code 64MiB}).
     */
    public long bytes(ConfigKey key, long def, long min, long max) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      Long parsed = null;
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        parsed = v.asLong();
      } else if (v.isTextual()) {
        parsed = parseBytes(v.asText().trim());
      }
      if (parsed == null || parsed < min || parsed > max) {
        invalid(keyPath(key), v, key.type());
        return def;
      }
      return parsed;
    }

    /** A number from {@code min} to {@code max}; a quoted number is accepted too. */
    public double number(ConfigKey key, double def, double min, double max, String expected) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      Double parsed = null;
      if (v.isNumber()) {
        parsed = v.asDouble();
      } else if (v.isTextual() && v.asText().trim().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
        parsed = Double.parseDouble(v.asText().trim());
      }
      if (parsed == null || !(parsed >= min && parsed <= max)) {
        invalid(keyPath(key), v, expected);
        return def;
      }
      return parsed;
    }

    /** A list of non-empty strings; {@code def} when absent. */
    public List<String> strings(ConfigKey key, List<String> def) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      if (!v.isArray() || v.isEmpty()) {
        invalid(keyPath(key), v, key.type());
        return def;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        if (!e.isValueNode() || e.isNull() || e.asText().isEmpty()) {
          invalid(keyPath(key) + "[" + i + "]", e, "a non-empty string");
        } else {
          out.add(e.asText());
        }
      }
      return out;
    }

    /** {@code true} or {@code false}. */
    public boolean bool(ConfigKey key, boolean def) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      if (v.isBoolean()) {
        return v.asBoolean();
      }
      if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
        return Boolean.parseBoolean(v.asText());
      }
      invalid(keyPath(key), v, "true or false");
      return def;
    }

    /** One of {@code allowed} (compared exactly). */
    public String oneOf(ConfigKey key, String def, List<String> allowed, String expected) {
      JsonNode v = value(key);
      if (v == null) {
        return def;
      }
      if (!v.isValueNode() || !allowed.contains(v.asText())) {
        invalid(keyPath(key), v, expected);
        return def;
      }
      return v.asText();
    }

    /** A mapping of strings to strings; empty when absent. */
    public Map<String, String> stringMap(ConfigKey key) {
      JsonNode v = value(key);
      Map<String, String> out = new LinkedHashMap<>();
      if (v == null) {
        return out;
      }
      if (!v.isObject()) {
        invalid(keyPath(key), v, key.type());
        return out;
      }
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          invalid(keyPath(key) + "." + e.getKey(), e.getValue(), "a string");
        } else {
          out.put(e.getKey(), e.getValue().asText());
        }
      }
      return out;
    }

    /** A nested mapping; {@code null} when absent or not a mapping. */
    public Section section(ConfigKey key) {
      JsonNode v = value(key);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        invalid(keyPath(key), v, "a mapping: " + key.doc());
        return null;
      }
      return new Section(v, keyPath(key));
    }

    /** A list of mappings with at least one entry; entries that are not mappings are refused. */
    public List<Section> list(ConfigKey key) {
      JsonNode v = value(key);
      List<Section> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (!v.isArray() || v.isEmpty()) {
        invalid(keyPath(key), v, "a list with at least one entry: " + key.doc());
        return out;
      }
      for (int i = 0; i < v.size(); i++) {
        JsonNode entry = v.get(i);
        String entryPath = keyPath(key) + "[" + i + "]";
        if (!entry.isObject()) {
          invalid(entryPath, entry, "a mapping");
        } else {
          out.add(new Section(entry, entryPath));
        }
      }
      return out;
    }
  }
}
