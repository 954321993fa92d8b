package io.ironlake.collector.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A browse-based mapping ({@code sources[].browse[]}): every variable below {@code path} whose
 * relative path matches {@code include} and {@code pattern} becomes a mapped node, its ISA-95 path
 * and tag captured from its browse names or fixed here.
 *
 * <pre>{@code
 * new BrowseMapping("Objects/plant-sh/assembly", null, BrowsePattern.parse("{line}/{device}/{tag}"),
 *     "plant-sh", "assembly", null, null, "", Deadband.NONE, 8);
 * }</pre>
 *
 * @param path {@code path}: browse names from the Objects folder, e.g. {@code
 *     Objects/plant-sh/assembly}
 * @param include {@code include}: a regular expression the whole relative path ({@code
 *     line-1/m01/power_kw}) must match, or {@code null} for all
 * @param pattern {@code pattern}: captures the ISA-95 path and tag from the relative path
 * @param site {@code site}, or {@code null} when captured
 * @param area {@code area}, or {@code null} when captured
 * @param line {@code line}, or {@code null} when captured
 * @param device {@code device}, or {@code null} when captured
 * @param unit {@code unit} of every mapped node, empty when unknown
 * @param deadband {@code deadband-type} and {@code deadband-value} of every mapped node
 * @param maxDepth {@code max-depth}: how many levels below the path are browsed
 */
public record BrowseMapping(
    String path,
    Pattern include,
    BrowsePattern pattern,
    String site,
    String area,
    String line,
    String device,
    String unit,
    Deadband deadband,
    int maxDepth) {

  public static final int MAX_DEPTH_DEFAULT = 8;

  public BrowseMapping {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(pattern, "pattern");
    unit = unit == null ? "" : unit;
    deadband = deadband == null ? Deadband.NONE : deadband;
  }

  /** The browse names of {@link #path}, without the leading {@code Objects}. */
  public List<String> pathBelowObjects() {
    List<String> parts = List.of(path.split("/"));
    return parts.subList(1, parts.size());
  }

  /**
   * The mapping of one browsed variable.
   *
   * @param nodeId the variable's node id, as {@code nsu=<uri>;...}
   * @param relative the browse names below {@link #path}
   * @return empty when {@code include} or {@code pattern} does not match
   */
  public Optional<NodeMapping> map(String nodeId, List<String> relative) {
    if (include != null && !include.matcher(String.join("/", relative)).matches()) {
      return Optional.empty();
    }
    Optional<Map<String, String>> captured = pattern.match(relative);
    if (captured.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> c = captured.get();
    return Optional.of(
        new NodeMapping(
            nodeId,
            c.getOrDefault("site", site),
            c.getOrDefault("area", area),
            c.getOrDefault("line", line),
            c.getOrDefault("device", device),
            c.get("tag"),
            unit,
            deadband));
  }
}
