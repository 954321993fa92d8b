package io.ironlake.connectors.sparkplug.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.sparkplug.SparkplugDataType;
import io.ironlake.connectors.sparkplug.SparkplugPayloads;
import java.util.Map;

/**
 * One metric as a birth defined it, and the last values decoded for it (kept across rebirths, so a
 * birth that repeats an already decoded value with its timestamp does not make a second point).
 */
public final class MetricDef {
  private final String name;
  private final Long alias;
  private final SparkplugDataType type;
  private final String unit;
  private long lastTsMillis = Long.MIN_VALUE;
  private Map<String, PointValue> lastValues = Map.of();

  MetricDef(String name, Long alias, SparkplugDataType type, String unit) {
    this.name = name;
    this.alias = alias;
    this.type = type;
    this.unit = unit;
  }

  public String name() {
    return name;
  }

  public Long alias() {
    return alias;
  }

  public SparkplugDataType type() {
    return type;
  }

  public String unit() {
    return unit;
  }

  /** Whether this metric controls the edge node (bdSeq, Node Control/*) rather than measuring. */
  public boolean isControl() {
    return name.equals(SparkplugPayloads.BD_SEQ)
        || name.startsWith(SparkplugPayloads.NODE_CONTROL_PREFIX);
  }

  /** Whether these values at this time are the last ones decoded for this metric. */
  public boolean isLast(long tsMillis, Map<String, PointValue> values) {
    return tsMillis == lastTsMillis && values.equals(lastValues);
  }

  public void remember(long tsMillis, Map<String, PointValue> values) {
    this.lastTsMillis = tsMillis;
    this.lastValues = Map.copyOf(values);
  }

  /** The last values by tag (one for a scalar, one per member for a template); empty if none. */
  public Map<String, PointValue> lastValues() {
    return lastValues;
  }

  /** Takes over what {@code previous} (the same metric in an earlier birth) remembered. */
  void inherit(MetricDef previous) {
    if (previous != null) {
      this.lastTsMillis = previous.lastTsMillis;
      this.lastValues = previous.lastValues;
    }
  }
}
