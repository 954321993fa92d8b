package io.ironlake.connectors.sparkplug;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPayload;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertySet;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertyValue;
import java.util.List;

/**
 * Builds Sparkplug B payloads: births and data of an edge node ({@link #encode}), its death
 * certificate ({@link #nodeDeath}) and the rebirth command a host sends ({@link #rebirthCommand}).
 */
public final class SparkplugPayloads {

  /** The NBIRTH / NDEATH metric that pairs a death certificate with its birth. */
  public static final String BD_SEQ = "bdSeq";

  /** The node control metric a host sets to true in an NCMD to ask for new births. */
  public static final String NODE_CONTROL_REBIRTH = "Node Control/Rebirth";

  /** Metrics named with this prefix control the edge node; they are not telemetry. */
  public static final String NODE_CONTROL_PREFIX = "Node Control/";

  /** The metric property holding the engineering unit (the name Ignition uses). */
  public static final String UNIT_PROPERTY = "engUnit";

  /** The metric property holding a Sparkplug quality code: 0 bad, 192 good, 500 stale. */
  public static final String QUALITY_PROPERTY = "Quality";

  /** Sequence numbers run from 0 to this, then wrap to 0. */
  public static final int MAX_SEQ = 255;

  private SparkplugPayloads() {}

  /**
   * Encodes a payload.
   *
   * @param timestampMillis when the message is published, milliseconds since the epoch
   * @param seq the sequence number (0 in NBIRTH, then +1 per message, wrapping after 255); null
   *     leaves it out, as NDEATH and commands do
   * @param metrics the metrics in order
   * @throws IllegalArgumentException if a value does not fit its metric's data type
   */
  public static byte[] encode(long timestampMillis, Long seq, List<SparkplugMetric> metrics) {
    SpbPayload.Builder payload = SpbPayload.newBuilder().setTimestamp(timestampMillis);
    if (seq != null) {
      if (seq < 0 || seq > MAX_SEQ) {
        throw new IllegalArgumentException(
            "Invalid Sparkplug seq " + seq + ": expected 0 to " + MAX_SEQ);
      }
      payload.setSeq(seq);
    }
    for (SparkplugMetric metric : metrics) {
      payload.addMetrics(metric(metric));
    }
    return payload.build().toByteArray();
  }

  /** The NDEATH payload (an edge node's MQTT will message): a timestamp and the bdSeq metric. */
  public static byte[] nodeDeath(long timestampMillis, long bdSeq) {
    return encode(
        timestampMillis,
        null,
        List.of(
            new SparkplugMetric(
                BD_SEQ,
                null,
                timestampMillis,
                SparkplugDataType.UINT64,
                PointValue.of(bdSeq),
                null)));
  }

  /**
   * The NCMD payload asking an edge node to send its NBIRTH and DBIRTHs again: metric {@code Node
   * Control/Rebirth} = true, named and, if known from the node's NBIRTH, with its alias.
   */
  public static byte[] rebirthCommand(long timestampMillis, Long alias) {
    return encode(
        timestampMillis,
        null,
        List.of(
            new SparkplugMetric(
                NODE_CONTROL_REBIRTH,
                alias,
                timestampMillis,
                SparkplugDataType.BOOLEAN,
                PointValue.of(true),
                null)));
  }

  /**
   * Whether an NCMD payload asks for a rebirth: it has metric {@code Node Control/Rebirth} (by
   * name, or by {@code rebirthAlias}) set to true. What an edge node calls for every NCMD it
   * receives.
   *
   * @throws InvalidSparkplugPayloadException if the bytes are not a Sparkplug B payload
   */
  public static boolean isRebirthCommand(byte[] payload, long rebirthAlias) {
    SpbPayload command;
    try {
      command = SpbPayload.parseFrom(payload == null ? new byte[0] : payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidSparkplugPayloadException(
          "Malformed Sparkplug B command: " + e.getMessage(), e);
    }
    for (SpbMetric m : command.getMetricsList()) {
      boolean named =
          m.hasName()
              ? m.getName().equals(NODE_CONTROL_REBIRTH)
              : m.hasAlias() && m.getAlias() == rebirthAlias;
      if (named && m.getValueCase() == SpbMetric.ValueCase.BOOLEAN_VALUE && m.getBooleanValue()) {
        return true;
      }
    }
    return false;
  }

  private static SpbMetric metric(SparkplugMetric m) {
    SpbMetric.Builder b = SpbMetric.newBuilder().setTimestamp(m.timestampMillis());
    if (m.name() != null) {
      b.setName(m.name());
    }
    if (m.alias() != null) {
      b.setAlias(m.alias());
    }
    if (m.dataType() != null) {
      b.setDatatype(m.dataType().code());
    }
    if (m.unit() != null && !m.unit().isEmpty()) {
      b.setProperties(
          SpbPropertySet.newBuilder()
              .addKeys(UNIT_PROPERTY)
              .addValues(
                  SpbPropertyValue.newBuilder()
                      .setType(SparkplugDataType.STRING.code())
                      .setStringValue(m.unit())));
    }
    PointValue value = m.value();
    if (value == null) {
      return b.setIsNull(true).build();
    }
    SparkplugDataType type = m.dataType() != null ? m.dataType() : defaultType(value);
    String label = m.name() != null ? m.name() : "alias " + m.alias();
    if (value instanceof PointValue.DoubleValue d) {
      switch (type) {
        case DOUBLE -> b.setDoubleValue(d.value());
        case FLOAT -> b.setFloatValue((float) d.value());
        default -> throw misfit(label, value, type);
      }
    } else if (value instanceof PointValue.LongValue l) {
      switch (type) {
        case INT8, INT16, INT32 -> b.setIntValue((int) checkRange(label, type, l.value()));
        case UINT8, UINT16, UINT32 -> b.setIntValue((int) checkRange(label, type, l.value()));
        case INT64, UINT64, DATETIME -> b.setLongValue(l.value());
        default -> throw misfit(label, value, type);
      }
    } else if (value instanceof PointValue.BooleanValue bo) {
      if (type != SparkplugDataType.BOOLEAN) {
        throw misfit(label, value, type);
      }
      b.setBooleanValue(bo.value());
    } else if (value instanceof PointValue.StringValue s) {
      switch (type) {
        case STRING, TEXT, UUID -> b.setStringValue(s.value());
        default -> throw misfit(label, value, type);
      }
    }
    return b.build();
  }

  private static SparkplugDataType defaultType(PointValue value) {
    if (value instanceof PointValue.DoubleValue) {
      return SparkplugDataType.DOUBLE;
    } else if (value instanceof PointValue.LongValue) {
      return SparkplugDataType.INT64;
    } else if (value instanceof PointValue.BooleanValue) {
      return SparkplugDataType.BOOLEAN;
    }
    return SparkplugDataType.STRING;
  }

  private static long checkRange(String label, SparkplugDataType type, long v) {
    long min;
    long max;
    switch (type) {
      case INT8 -> {
        min = Byte.MIN_VALUE;
        max = Byte.MAX_VALUE;
      }
      case INT16 -> {
        min = Short.MIN_VALUE;
        max = Short.MAX_VALUE;
      }
      case INT32 -> {
        min = Integer.MIN_VALUE;
        max = Integer.MAX_VALUE;
      }
      case UINT8 -> {
        min = 0;
        max = 0xFF;
      }
      case UINT16 -> {
        min = 0;
        max = 0xFFFF;
      }
      default -> {
        min = 0;
        max = 0xFFFF_FFFFL;
      }
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "Cannot encode metric " + label + ": " + v + " is out of range for " + type);
    }
    return v;
  }

  private static IllegalArgumentException misfit(
      String label, PointValue value, SparkplugDataType type) {
    return new IllegalArgumentException(
        "Cannot encode metric "
            + label
            + ": a "
            + value.getClass().getSimpleName()
            + " does not fit data type "
            + type);
  }
}
