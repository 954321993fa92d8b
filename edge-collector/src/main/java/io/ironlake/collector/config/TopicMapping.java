package io.ironlake.collector.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One MQTT topic pattern, its payload format and how its points map to the plant model ({@code
 * sources[].topics[]}).
 *
 * @param pattern {@code pattern}, e.g. {@code factory/{site}/{area}/{line}/{device}/telemetry}
 * @param format {@code format}: {@code json}, {@code plain} or {@code sparkplug-b}
 * @param units {@code units}: tag to engineering unit
 * @param site {@code site}: fixed site when the pattern does not capture one, else {@code null}
 *     (Sparkplug: overrides the group id)
 * @param area {@code area}: fixed area, or {@code null}
 * @param line {@code line}: fixed line, or {@code null} (Sparkplug: overrides the edge node id)
 * @param device {@code device}: fixed device, or {@code null}
 * @param tag {@code tag}: the tag of a plain payload when the pattern does not capture {@code
 *     {tag}}, else {@code null}
 * @param jsonLayout {@code json-layout}: {@code values} ({@code {"ts":..,"values":{tag: v}}}) or
 *     {@code flat} ({@code {"ts":.., tag: v, ...}})
 * @param tsField {@code ts-field}: the JSON key of the timestamp
 * @param tsFormat {@code ts-format}: {@code epoch-ms}, {@code epoch-s}, {@code epoch-us} or {@code
 *     iso-8601}
 */
public record TopicMapping(
    String pattern,
    String format,
    Map<String, String> units,
    String site,
    String area,
    String line,
    String device,
    String tag,
    String jsonLayout,
    String tsField,
    String tsFormat) {

  public static final String FORMAT_JSON = "json";
  public static final String FORMAT_PLAIN = "plain";
  public static final String FORMAT_SPARKPLUG_B = "sparkplug-b";
  public static final List<String> FORMATS = List.of(FORMAT_JSON, FORMAT_PLAIN, FORMAT_SPARKPLUG_B);
  public static final String LAYOUT_VALUES = "values";
  public static final String LAYOUT_FLAT = "flat";
  public static final String TS_FIELD_DEFAULT = "ts";
  public static final String TS_EPOCH_MS = "epoch-ms";
  public static final List<String> TS_FORMATS =
      List.of("epoch-ms", "epoch-s", "epoch-us", "iso-8601");

  public TopicMapping {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(jsonLayout, "jsonLayout");
    Objects.requireNonNull(tsField, "tsField");
    Objects.requireNonNull(tsFormat, "tsFormat");
    units = Map.copyOf(units);
  }

  /** A topic with the JSON defaults (the earlier constructor). */
  public TopicMapping(
      String pattern,
      String format,
      Map<String, String> units,
      String site,
      String area,
      String line,
      String device) {
    this(
        pattern,
        format,
        units,
        site,
        area,
        line,
        device,
        null,
        LAYOUT_VALUES,
        TS_FIELD_DEFAULT,
        TS_EPOCH_MS);
  }

  /** A JSON topic whose pattern captures the whole ISA-95 path. */
  public static TopicMapping json(String pattern, Map<String, String> units) {
    return new TopicMapping(pattern, FORMAT_JSON, units, null, null, null, null);
  }

  /** A plain single-value topic whose pattern captures the whole path and {@code {tag}}. */
  public static TopicMapping plain(String pattern, Map<String, String> units) {
    return new TopicMapping(pattern, FORMAT_PLAIN, units, null, null, null, null);
  }

  /**
   * A Sparkplug B topic filter such as {@code spBv1.0/plant-sh/#}: site = group id, line = edge
   * node id, device = device id (or the edge node id for the node's own metrics), area fixed.
   */
  public static TopicMapping sparkplug(String pattern, String area) {
    return new TopicMapping(pattern, FORMAT_SPARKPLUG_B, Map.of(), null, area, null, null);
  }

  /** A copy with another JSON layout, timestamp key and timestamp format. */
  public TopicMapping withJson(String layout, String timestampField, String timestampFormat) {
    return new TopicMapping(
        pattern,
        format,
        units,
        site,
        area,
        line,
        device,
        tag,
        layout,
        timestampField,
        timestampFormat);
  }
}
