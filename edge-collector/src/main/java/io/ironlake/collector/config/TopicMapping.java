package io.ironlake.collector.config;

import java.util.Map;
import java.util.Objects;

/**
 * One MQTT topic pattern, its payload format and how its points map to the plant model ({@code
 * sources[].topics[]}).
 *
 * @param pattern {@code pattern}, e.g. {@code factory/{site}/{area}/{line}/{device}/telemetry}
 * @param format {@code format}: only {@code json} for now
 * @param units {@code units}: tag to engineering unit
 * @param site {@code site}: fixed site when the pattern does not capture one, else {@code null}
 * @param area {@code area}: fixed area, or {@code null}
 * @param line {@code line}: fixed line, or {@code null}
 * @param device {@code device}: fixed device, or {@code null}
 */
public record TopicMapping(
    String pattern,
    String format,
    Map<String, String> units,
    String site,
    String area,
    String line,
    String device) {

  public static final String FORMAT_JSON = "json";

  public TopicMapping {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(format, "format");
    units = Map.copyOf(units);
  }

  /** A JSON topic whose pattern captures the whole ISA-95 path. */
  public static TopicMapping json(String pattern, Map<String, String> units) {
    return new TopicMapping(pattern, FORMAT_JSON, units, null, null, null, null);
  }
}
