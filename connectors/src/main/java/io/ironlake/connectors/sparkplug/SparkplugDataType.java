package io.ironlake.connectors.sparkplug;

/** The Sparkplug B data types of metrics, with their codes on the wire. */
public enum SparkplugDataType {
  UNKNOWN(0),
  INT8(1),
  INT16(2),
  INT32(3),
  INT64(4),
  UINT8(5),
  UINT16(6),
  UINT32(7),
  UINT64(8),
  FLOAT(9),
  DOUBLE(10),
  BOOLEAN(11),
  STRING(12),
  DATETIME(13),
  TEXT(14),
  UUID(15),
  DATASET(16),
  BYTES(17),
  FILE(18),
  TEMPLATE(19),
  PROPERTY_SET(20),
  PROPERTY_SET_LIST(21),
  INT8_ARRAY(22),
  INT16_ARRAY(23),
  INT32_ARRAY(24),
  INT64_ARRAY(25),
  UINT8_ARRAY(26),
  UINT16_ARRAY(27),
  UINT32_ARRAY(28),
  UINT64_ARRAY(29),
  FLOAT_ARRAY(30),
  DOUBLE_ARRAY(31),
  BOOLEAN_ARRAY(32),
  STRING_ARRAY(33),
  DATETIME_ARRAY(34);

  private static final SparkplugDataType[] BY_CODE = values();

  private final int code;

  SparkplugDataType(int code) {
    this.code = code;
  }

  /** The code on the wire ({@code Metric.datatype}). */
  public int code() {
    return code;
  }

  /**
   * The data type with this code.
   *
   * @throws InvalidSparkplugPayloadException for a code that is not a Sparkplug data type
   */
  public static SparkplugDataType fromCode(long code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new InvalidSparkplugPayloadException(
          "Invalid Sparkplug data type " + code + ": expected 0 to " + (BY_CODE.length - 1));
    }
    return BY_CODE[(int) code];
  }

  /** Whether a metric of this type holds a value Ironlake turns into telemetry points. */
  public boolean isMetricType() {
    return this != UNKNOWN && this != PROPERTY_SET && this != PROPERTY_SET_LIST;
  }

  /** Whether this is one of the packed little-endian array types (Int8Array .. DateTimeArray). */
  public boolean isArray() {
    return code >= INT8_ARRAY.code;
  }
}
