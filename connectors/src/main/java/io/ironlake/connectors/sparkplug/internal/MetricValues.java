package io.ironlake.connectors.sparkplug.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.sparkplug.InvalidSparkplugPayloadException;
import io.ironlake.connectors.sparkplug.SparkplugDataType;
import io.ironlake.connectors.sparkplug.internal.proto.SpbDataSet;
import io.ironlake.connectors.sparkplug.internal.proto.SpbDataSetRow;
import io.ironlake.connectors.sparkplug.internal.proto.SpbDataSetValue;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbTemplate;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns the value of a Sparkplug metric into telemetry values, by the metric's data type.
 *
 * <p>Integers become longs (signed types sign-extended from their width, unsigned ones masked; a
 * UInt64 above 2^63-1 becomes its decimal digits as text, as OPC UA does); Float becomes the double
 * with the same shortest decimal form (12.1f gives 12.1, not 12.100000381469727); DateTime becomes
 * ISO-8601 text; Bytes and File Base64 text; arrays {@code [a, b]} text; a DataSet JSON text; a
 * Template instance one value per member, named {@code metric/member}.
 */
public final class MetricValues {

  private MetricValues() {}

  /**
   * Adds the values of {@code metric} under {@code tag} (several for a template instance) to {@code
   * out}; adds nothing for a null value.
   *
   * @throws InvalidSparkplugPayloadException if the value does not fit the data type
   */
  public static void collect(
      String tag, SparkplugDataType type, SpbMetric metric, Map<String, PointValue> out) {
    if (metric.getIsNull()) {
      return;
    }
    if (type == SparkplugDataType.TEMPLATE) {
      if (metric.getValueCase() != SpbMetric.ValueCase.TEMPLATE_VALUE) {
        throw mismatch(tag, type, metric);
      }
      SpbTemplate template = metric.getTemplateValue();
      if (template.getIsDefinition()) {
        return;
      }
      for (SpbMetric member : template.getMetricsList()) {
        if (!member.hasName() || member.getName().isEmpty()) {
          throw new InvalidSparkplugPayloadException(
              "Invalid template value of '" + tag + "': a member metric has no name");
        }
        if (!member.hasDatatype()) {
          throw new InvalidSparkplugPayloadException(
              "Invalid template value of '"
                  + tag
                  + "': member '"
                  + member.getName()
                  + "' has no datatype");
        }
        SparkplugDataType memberType = SparkplugDataType.fromCode(member.getDatatype());
        collect(tag + "/" + member.getName(), memberType, member, out);
      }
      return;
    }
    if (metric.getValueCase() == SpbMetric.ValueCase.VALUE_NOT_SET) {
      throw new InvalidSparkplugPayloadException(
          "Invalid value of '" + tag + "': no value and is_null is not set");
    }
    out.put(tag, scalar(tag, type, metric));
  }

  private static PointValue scalar(String tag, SparkplugDataType type, SpbMetric m) {
    switch (type) {
      case INT8:
        return PointValue.of((long) (byte) integer(tag, type, m));
      case INT16:
        return PointValue.of((long) (short) integer(tag, type, m));
      case INT32:
        return PointValue.of((long) (int) integer(tag, type, m));
      case INT64:
        return PointValue.of(integer(tag, type, m));
      case UINT8:
        return PointValue.of(integer(tag, type, m) & 0xFFL);
      case UINT16:
        return PointValue.of(integer(tag, type, m) & 0xFFFFL);
      case UINT32:
        return PointValue.of(integer(tag, type, m) & 0xFFFF_FFFFL);
      case UINT64:
        long u = integer(tag, type, m);
        return u >= 0 ? PointValue.of(u) : PointValue.of(Long.toUnsignedString(u));
      case FLOAT:
      case DOUBLE:
        return PointValue.of(floating(tag, type, m));
      case BOOLEAN:
        if (m.getValueCase() != SpbMetric.ValueCase.BOOLEAN_VALUE) {
          throw mismatch(tag, type, m);
        }
        return PointValue.of(m.getBooleanValue());
      case STRING:
      case TEXT:
      case UUID:
        if (m.getValueCase() != SpbMetric.ValueCase.STRING_VALUE) {
          throw mismatch(tag, type, m);
        }
        return PointValue.of(m.getStringValue());
      case DATETIME:
        return PointValue.of(Instant.ofEpochMilli(integer(tag, type, m)).toString());
      case BYTES:
      case FILE:
        return PointValue.of(Base64.getEncoder().encodeToString(bytes(tag, type, m)));
      case DATASET:
        if (m.getValueCase() != SpbMetric.ValueCase.DATASET_VALUE) {
          throw mismatch(tag, type, m);
        }
        return PointValue.of(dataSetJson(tag, m.getDatasetValue()));
      default:
        if (type.isArray()) {
          return PointValue.of(array(tag, type, bytes(tag, type, m)));
        }
        throw new InvalidSparkplugPayloadException(
            "Invalid data type " + type + " of '" + tag + "': not a metric value type");
    }
  }

  /** The raw 64 bits of an integer metric, from int_value (32 bits) or long_value. */
  private static long integer(String tag, SparkplugDataType type, SpbMetric m) {
    return switch (m.getValueCase()) {
      case INT_VALUE ->
          type == SparkplugDataType.INT64
                  || type == SparkplugDataType.INT32
                  || type == SparkplugDataType.INT16
                  || type == SparkplugDataType.INT8
              ? m.getIntValue()
              : Integer.toUnsignedLong(m.getIntValue());
      case LONG_VALUE -> m.getLongValue();
      default -> throw mismatch(tag, type, m);
    };
  }

  private static double floating(String tag, SparkplugDataType type, SpbMetric m) {
    return switch (m.getValueCase()) {
      case FLOAT_VALUE -> floatToDouble(m.getFloatValue());
      case DOUBLE_VALUE -> m.getDoubleValue();
      default -> throw mismatch(tag, type, m);
    };
  }

  /** The double whose shortest decimal form is the float's: 12.1f gives 12.1. */
  static double floatToDouble(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      return f;
    }
    return Double.parseDouble(Float.toString(f));
  }

  private static byte[] bytes(String tag, SparkplugDataType type, SpbMetric m) {
    if (m.getValueCase() != SpbMetric.ValueCase.BYTES_VALUE) {
      throw mismatch(tag, type, m);
    }
    return m.getBytesValue().toByteArray();
  }

  private static String array(String tag, SparkplugDataType type, byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<String> items = new ArrayList<>();
    switch (type) {
      case INT8_ARRAY -> {
        while (buf.hasRemaining()) {
          items.add(Byte.toString(buf.get()));
        }
      }
      case UINT8_ARRAY -> {
        while (buf.hasRemaining()) {
          items.add(Integer.toString(buf.get() & 0xFF));
        }
      }
      case INT16_ARRAY, UINT16_ARRAY -> {
        checkWidth(tag, type, bytes, 2);
        while (buf.hasRemaining()) {
          short s = buf.getShort();
          items.add(type == SparkplugDataType.INT16_ARRAY ? Short.toString(s) : "" + (s & 0xFFFF));
        }
      }
      case INT32_ARRAY, UINT32_ARRAY -> {
        checkWidth(tag, type, bytes, 4);
        while (buf.hasRemaining()) {
          int i = buf.getInt();
          items.add(
              type == SparkplugDataType.INT32_ARRAY
                  ? Integer.toString(i)
                  : Long.toString(Integer.toUnsignedLong(i)));
        }
      }
      case INT64_ARRAY, UINT64_ARRAY, DATETIME_ARRAY -> {
        checkWidth(tag, type, bytes, 8);
        while (buf.hasRemaining()) {
          long l = buf.getLong();
          items.add(
              switch (type) {
                case INT64_ARRAY -> Long.toString(l);
                case UINT64_ARRAY -> Long.toUnsignedString(l);
                default -> Instant.ofEpochMilli(l).toString();
              });
        }
      }
      case FLOAT_ARRAY -> {
        checkWidth(tag, type, bytes, 4);
        while (buf.hasRemaining()) {
          items.add(Float.toString(buf.getFloat()));
        }
      }
      case DOUBLE_ARRAY -> {
        checkWidth(tag, type, bytes, 8);
        while (buf.hasRemaining()) {
          items.add(Double.toString(buf.getDouble()));
        }
      }
      case BOOLEAN_ARRAY -> {
        if (bytes.length < 4) {
          throw new InvalidSparkplugPayloadException(
              "Invalid BooleanArray value of '" + tag + "': no 4-byte count");
        }
        long count = Integer.toUnsignedLong(buf.getInt());
        if (count > (long) (bytes.length - 4) * 8) {
          throw new InvalidSparkplugPayloadException(
              "Invalid BooleanArray value of '"
                  + tag
                  + "': count "
                  + count
                  + " needs more than the "
                  + (bytes.length - 4)
                  + " bytes that follow");
        }
        for (int i = 0; i < count; i++) {
          int b = bytes[4 + i / 8] & 0xFF;
          items.add(Boolean.toString(((b >> (7 - i % 8)) & 1) == 1));
        }
      }
      case STRING_ARRAY -> {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
          if (bytes[i] == 0) {
            items.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
            start = i + 1;
          }
        }
        if (start != bytes.length) {
          throw new InvalidSparkplugPayloadException(
              "Invalid StringArray value of '" + tag + "': the last string is not 0-terminated");
        }
      }
      default -> throw new IllegalStateException("Not an array type: " + type);
    }
    return "[" + String.join(", ", items) + "]";
  }

  private static void checkWidth(String tag, SparkplugDataType type, byte[] bytes, int width) {
    if (bytes.length % width != 0) {
      throw new InvalidSparkplugPayloadException(
          "Invalid "
              + type
              + " value of '"
              + tag
              + "': "
              + bytes.length
              + " bytes is not a multiple of "
              + width);
    }
  }

  private static String dataSetJson(String tag, SpbDataSet ds) {
    int columns = ds.getColumnsCount();
    if (ds.getTypesCount() != columns
        || (ds.hasNumOfColumns() && ds.getNumOfColumns() != columns)) {
      throw new InvalidSparkplugPayloadException(
          "Invalid DataSet value of '"
              + tag
              + "': "
              + columns
              + " columns, "
              + ds.getTypesCount()
              + " types, num_of_columns "
              + ds.getNumOfColumns());
    }
    StringBuilder json = new StringBuilder("{\"columns\":[");
    for (int c = 0; c < columns; c++) {
      json.append(c == 0 ? "" : ",");
      Json.string(json, ds.getColumns(c));
    }
    json.append("],\"types\":[");
    List<SparkplugDataType> types = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      SparkplugDataType t = SparkplugDataType.fromCode(ds.getTypes(c));
      types.add(t);
      json.append(c == 0 ? "" : ",");
      Json.string(json, t.name());
    }
    json.append("],\"rows\":[");
    for (int r = 0; r < ds.getRowsCount(); r++) {
      SpbDataSetRow row = ds.getRows(r);
      if (row.getElementsCount() != columns) {
        throw new InvalidSparkplugPayloadException(
            "Invalid DataSet value of '"
                + tag
                + "': row "
                + r
                + " has "
                + row.getElementsCount()
                + " values, expected "
                + columns);
      }
      json.append(r == 0 ? "[" : ",[");
      for (int c = 0; c < columns; c++) {
        json.append(c == 0 ? "" : ",");
        cell(json, tag, types.get(c), row.getElements(c));
      }
      json.append(']');
    }
    return json.append("]}").toString();
  }

  private static void cell(
      StringBuilder json, String tag, SparkplugDataType type, SpbDataSetValue v) {
    SpbMetric.Builder asMetric = SpbMetric.newBuilder();
    switch (v.getValueCase()) {
      case INT_VALUE -> asMetric.setIntValue(v.getIntValue());
      case LONG_VALUE -> asMetric.setLongValue(v.getLongValue());
      case FLOAT_VALUE -> asMetric.setFloatValue(v.getFloatValue());
      case DOUBLE_VALUE -> asMetric.setDoubleValue(v.getDoubleValue());
      case BOOLEAN_VALUE -> asMetric.setBooleanValue(v.getBooleanValue());
      case STRING_VALUE -> asMetric.setStringValue(v.getStringValue());
      default -> {
        json.append("null");
        return;
      }
    }
    PointValue value = scalar(tag, type, asMetric.build());
    if (value instanceof PointValue.StringValue s) {
      Json.string(json, s.value());
    } else if (value instanceof PointValue.DoubleValue d && !Double.isFinite(d.value())) {
      Json.string(json, Double.toString(d.value()));
    } else {
      json.append(value.asText());
    }
  }

  private static InvalidSparkplugPayloadException mismatch(
      String tag, SparkplugDataType type, SpbMetric m) {
    return new InvalidSparkplugPayloadException(
        "Invalid value of '"
            + tag
            + "': data type "
            + type
            + " does not match its "
            + m.getValueCase().name().toLowerCase(java.util.Locale.ROOT));
  }
}
