package io.ironlake.connectors.sparkplug.internal;

import io.ironlake.connectors.sparkplug.InvalidSparkplugPayloadException;
import io.ironlake.connectors.sparkplug.SparkplugDataType;
import io.ironlake.connectors.sparkplug.SparkplugPayloads;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertySet;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The metrics one NBIRTH or DBIRTH defined: by alias, by name, in birth order. */
public final class MetricTable {

  /** A table with no metrics, for a node or device that was never born. */
  public static final MetricTable EMPTY = new MetricTable(Map.of(), Map.of());

  private final Map<Long, MetricDef> byAlias;
  private final Map<String, MetricDef> byName;

  private MetricTable(Map<Long, MetricDef> byAlias, Map<String, MetricDef> byName) {
    this.byAlias = byAlias;
    this.byName = byName;
  }

  /**
   * Reads the metric definitions of a birth. Template definitions are skipped; every other metric
   * must have a name and a metric data type, and names and aliases must be unique.
   *
   * @param birth e.g. "DBIRTH from plant-sh/line-3/m01", for messages
   * @param previous the table of the previous birth, whose last values carry over by name
   * @throws InvalidSparkplugPayloadException naming the metric and what is wrong
   */
  public static MetricTable fromBirth(String birth, List<SpbMetric> metrics, MetricTable previous) {
    Map<Long, MetricDef> byAlias = new HashMap<>();
    Map<String, MetricDef> byName = new LinkedHashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      SpbMetric m = metrics.get(i);
      if (!m.hasName() || m.getName().isEmpty()) {
        throw new InvalidSparkplugPayloadException(
            "Invalid " + birth + ": metric #" + (i + 1) + " has no name");
      }
      String name = m.getName();
      if (!m.hasDatatype()) {
        throw new InvalidSparkplugPayloadException(
            "Invalid " + birth + ": metric '" + name + "' has no datatype");
      }
      SparkplugDataType type;
      try {
        type = SparkplugDataType.fromCode(Integer.toUnsignedLong(m.getDatatype()));
      } catch (InvalidSparkplugPayloadException e) {
        throw new InvalidSparkplugPayloadException(
            "Invalid " + birth + ": metric '" + name + "': " + e.getMessage());
      }
      if (type == SparkplugDataType.TEMPLATE
          && m.getValueCase() == SpbMetric.ValueCase.TEMPLATE_VALUE
          && m.getTemplateValue().getIsDefinition()) {
        continue;
      }
      if (!type.isMetricType()) {
        throw new InvalidSparkplugPayloadException(
            "Invalid "
                + birth
                + ": metric '"
                + name
                + "' has data type "
                + type
                + ", which is not a metric type");
      }
      Long alias = m.hasAlias() ? m.getAlias() : null;
      MetricDef def = new MetricDef(name, alias, type, unit(m.getProperties()));
      def.inherit(previous.byName.get(name));
      if (byName.putIfAbsent(name, def) != null) {
        throw new InvalidSparkplugPayloadException(
            "Invalid " + birth + ": metric '" + name + "' is defined twice");
      }
      if (alias != null) {
        MetricDef other = byAlias.putIfAbsent(alias, def);
        if (other != null) {
          throw new InvalidSparkplugPayloadException(
              "Invalid "
                  + birth
                  + ": alias "
                  + Long.toUnsignedString(alias)
                  + " is used by '"
                  + other.name()
                  + "' and '"
                  + name
                  + "'");
        }
      }
    }
    return new MetricTable(byAlias, byName);
  }

  public MetricDef byAlias(long alias) {
    return byAlias.get(alias);
  }

  public MetricDef byName(String name) {
    return byName.get(name);
  }

  /** Every metric in birth order. */
  public List<MetricDef> metrics() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  public int size() {
    return byName.size();
  }

  /**
   * The unit from an {@code engUnit} (or {@code engUnits}, {@code unit}, {@code units}) property.
   */
  static String unit(SpbPropertySet properties) {
    for (int i = 0; i < properties.getKeysCount() && i < properties.getValuesCount(); i++) {
      String key = properties.getKeys(i).toLowerCase(Locale.ROOT);
      SpbPropertyValue value = properties.getValues(i);
      if ((key.equals(SparkplugPayloads.UNIT_PROPERTY.toLowerCase(Locale.ROOT))
              || key.equals("engunits")
              || key.equals("unit")
              || key.equals("units"))
          && value.getValueCase() == SpbPropertyValue.ValueCase.STRING_VALUE) {
        return value.getStringValue();
      }
    }
    return "";
  }
}
