package io.ironlake.collector.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed MQTT topic pattern such as {@code factory/{site}/{area}/{line}/{device}/telemetry}:
 * {@code {name}} captures one level, {@code +} matches one level, a final {@code #} matches the
 * rest.
 */
public final class TopicPattern {
  /** The names a pattern may capture ({@code tag} only for plain single-value payloads). */
  public static final Set<String> CAPTURES = Set.of("site", "area", "line", "device", "tag");

  private final String pattern;
  private final List<String> levels;

  private TopicPattern(String pattern, List<String> levels) {
    this.pattern = pattern;
    this.levels = levels;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static TopicPattern parse(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    String[] parts = pattern.split("/", -1);
    List<String> levels = new ArrayList<>(parts.length);
    Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      String level = parts[i];
      if (level.equals("#")) {
        if (i != parts.length - 1) {
          throw new IllegalArgumentException("'#' must be the last level");
        }
      } else if (level.startsWith("{") && level.endsWith("}")) {
        String name = level.substring(1, level.length() - 1);
        if (!CAPTURES.contains(name)) {
          throw new IllegalArgumentException(
              "{" + name + "} is not one of {site}, {area}, {line}, {device}, {tag}");
        }
        if (!seen.add(name)) {
          throw new IllegalArgumentException("{" + name + "} appears twice");
        }
      } else if (!level.equals("+") && level.matches(".*[+#{}].*")) {
        throw new IllegalArgumentException("level \"" + level + "\" mixes text with +, #, { or }");
      }
      levels.add(level);
    }
    return new TopicPattern(pattern, List.copyOf(levels));
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /** The names this pattern captures. */
  public Set<String> captures() {
    Set<String> names = new java.util.HashSet<>();
    for (String level : levels) {
      if (level.startsWith("{")) {
        names.add(level.substring(1, level.length() - 1));
      }
    }
    return Set.copyOf(names);
  }

  /** The MQTT subscription filter: every {@code {name}} becomes {@code +}. */
  public String mqttFilter() {
    List<String> out = new ArrayList<>(levels.size());
    for (String level : levels) {
      out.add(level.startsWith("{") ? "+" : level);
    }
    return String.join("/", out);
  }

  /** The captured levels of a topic that matches this pattern, or empty if it does not match. */
  public Optional<Map<String, String>> match(String topic) {
    String[] parts = topic.split("/", -1);
    Map<String, String> captured = new HashMap<>();
    for (int i = 0; i < levels.size(); i++) {
      String level = levels.get(i);
      if (level.equals("#")) {
        return Optional.of(Map.copyOf(captured));
      }
      if (i >= parts.length) {
        return Optional.empty();
      }
      if (level.startsWith("{")) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        captured.put(level.substring(1, level.length() - 1), parts[i]);
      } else if (!level.equals("+") && !level.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return parts.length == levels.size() ? Optional.of(Map.copyOf(captured)) : Optional.empty();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
