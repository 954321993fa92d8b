package io.ironlake.collector.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pattern over the browse path of a variable below a browse root, such as {@code
 * {line}/{device}/{tag}} or {@code **}{@code /{device}/{tag}}: {@code {name}} captures one level,
 * {@code *} matches one level, {@code **} any number of levels (also none), anything else is a
 * browse name matched exactly.
 */
public final class BrowsePattern {
  /** The names a pattern may capture. */
  public static final Set<String> CAPTURES = Set.of("site", "area", "line", "device", "tag");

  private final String pattern;
  private final List<String> levels;

  private BrowsePattern(String pattern, List<String> levels) {
    this.pattern = pattern;
    this.levels = levels;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static BrowsePattern parse(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    String[] parts = pattern.split("/", -1);
    List<String> levels = new ArrayList<>(parts.length);
    Set<String> seen = new HashSet<>();
    for (String level : parts) {
      if (level.isEmpty()) {
        throw new IllegalArgumentException("it has an empty level");
      }
      if (level.startsWith("{") && level.endsWith("}")) {
        String name = level.substring(1, level.length() - 1);
        if (!CAPTURES.contains(name)) {
          throw new IllegalArgumentException(
              "{" + name + "} is not one of {site}, {area}, {line}, {device}, {tag}");
        }
        if (!seen.add(name)) {
          throw new IllegalArgumentException("{" + name + "} appears twice");
        }
      } else if (!level.equals("*") && !level.equals("**") && level.matches(".*[*{}].*")) {
        throw new IllegalArgumentException("level \"" + level + "\" mixes text with *, { or }");
      }
      levels.add(level);
    }
    if (!seen.contains("tag")) {
      throw new IllegalArgumentException("it must capture {tag}");
    }
    return new BrowsePattern(pattern, List.copyOf(levels));
  }

  /** The names this pattern captures. */
  public Set<String> captures() {
    Set<String> names = new HashSet<>();
    for (String level : levels) {
      if (level.startsWith("{")) {
        names.add(level.substring(1, level.length() - 1));
      }
    }
    return names;
  }

  /**
   * Matches the browse names of a variable's path below the root.
   *
   * @return the captured values, empty when the path does not match
   */
  public Optional<Map<String, String>> match(List<String> path) {
    Map<String, String> captured = new HashMap<>();
    return match(0, path, 0, captured) ? Optional.of(captured) : Optional.empty();
  }

  private boolean match(int li, List<String> path, int pi, Map<String, String> captured) {
    if (li == levels.size()) {
      return pi == path.size();
    }
    String level = levels.get(li);
    if (level.equals("**")) {
      for (int skip = pi; skip <= path.size(); skip++) {
        Map<String, String> attempt = new HashMap<>(captured);
        if (match(li + 1, path, skip, attempt)) {
          captured.putAll(attempt);
          return true;
        }
      }
      return false;
    }
    if (pi == path.size()) {
      return false;
    }
    String name = path.get(pi);
    if (level.startsWith("{")) {
      if (name.isEmpty() || name.contains("/")) {
        return false;
      }
      captured.put(level.substring(1, level.length() - 1), name);
    } else if (!level.equals("*") && !level.equals(name)) {
      return false;
    }
    return match(li + 1, path, pi + 1, captured);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
