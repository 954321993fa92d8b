package io.ironlake.connectors.sparkplug;

import io.ironlake.connectors.record.PointValue;
import java.util.Objects;

/**
 * A metric to encode into a Sparkplug B payload with {@link SparkplugPayloads#encode}: births carry
 * name, alias and data type; data messages only the alias.
 *
 * @param name the metric name, e.g. {@code power_kw} or {@code Inputs/A}; null in data messages
 *     that use aliases
 * @param alias the alias; null when the edge node does not use aliases
 * @param timestampMillis when the value was acquired, milliseconds since the epoch, UTC
 * @param dataType the data type; null leaves it out (allowed in data messages)
 * @param value the value; null encodes {@code is_null}
 * @param unit engineering unit, written as the {@code engUnit} property; null or empty for none
 */
public record SparkplugMetric(
    String name,
    Long alias,
    long timestampMillis,
    SparkplugDataType dataType,
    PointValue value,
    String unit) {

  public SparkplugMetric {
    if (name == null && alias == null) {
      throw new IllegalArgumentException("Invalid Sparkplug metric: it needs a name or an alias");
    }
    if (alias != null && alias < 0) {
      throw new IllegalArgumentException(
          "Invalid Sparkplug metric alias " + alias + ": expected >= 0");
    }
  }

  /** A birth metric: name, alias, data type, value (null for none yet) and unit. */
  public static SparkplugMetric birth(
      String name,
      long alias,
      long timestampMillis,
      SparkplugDataType dataType,
      PointValue value,
      String unit) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataType, "dataType");
    return new SparkplugMetric(name, alias, timestampMillis, dataType, value, unit);
  }

  /** A data metric that names its metric by alias only; the data type is the birth's. */
  public static SparkplugMetric data(long alias, long timestampMillis, PointValue value) {
    return new SparkplugMetric(null, alias, timestampMillis, null, value, null);
  }
}
