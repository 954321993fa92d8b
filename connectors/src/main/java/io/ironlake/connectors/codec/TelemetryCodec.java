package io.ironlake.connectors.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ironlake.connectors.codec.internal.proto.QualityProto;
import io.ironlake.connectors.codec.internal.proto.TelemetryPointProto;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;

/**
 * Encodes telemetry points for Kafka: one schema-version byte, then a Protobuf message ({@code
 * telemetry.proto}). Decoding refuses unknown versions and malformed bytes with {@link
 * TelemetryCodecException}.
 */
public final class TelemetryCodec {
  /** The schema version written by this codec. */
  public static final byte SCHEMA_VERSION = 1;

  private TelemetryCodec() {}

  /** Encodes a point to its wire form. */
  public static byte[] encode(TelemetryPoint point) {
    return PointWriter.encode(SCHEMA_VERSION, point, point.seq());
  }

  /**
   * Encodes a point with {@code seq} in place of its own sequence number: the same bytes as {@code
   * encode(point.withSeq(seq))}, without the copy of the point.
   */
  public static byte[] encode(TelemetryPoint point, long seq) {
    return PointWriter.encode(SCHEMA_VERSION, point, seq);
  }

  /**
   * Encodes a point through Protobuf's generated message: the reference that {@link #encode}
   * matches byte for byte (tests compare them).
   */
  static byte[] encodeWithProtobuf(TelemetryPoint point) {
    TelemetryPointProto.Builder b =
        TelemetryPointProto.newBuilder()
            .setSite(point.site())
            .setArea(point.area())
            .setLine(point.line())
            .setDevice(point.device())
            .setTag(point.tag())
            .setTsMicros(point.tsMicros())
            .setIngestTsMicros(point.ingestTsMicros())
            .setQuality(toProto(point.quality()))
            .setStatusCode((int) point.statusCode())
            .setUnit(point.unit())
            .setCollectorId(point.collectorId())
            .setSource(point.source())
            .setSeq(point.seq());
    PointValue value = point.value();
    if (value instanceof PointValue.DoubleValue d) {
      b.setDoubleValue(d.value());
    } else if (value instanceof PointValue.LongValue l) {
      b.setLongValue(l.value());
    } else if (value instanceof PointValue.BooleanValue bo) {
      b.setBoolValue(bo.value());
    } else if (value instanceof PointValue.StringValue s) {
      b.setStringValue(s.value());
    }
    TelemetryPointProto proto = b.build();
    byte[] out = new byte[1 + proto.getSerializedSize()];
    out[0] = SCHEMA_VERSION;
    try {
      proto.writeTo(com.google.protobuf.CodedOutputStream.newInstance(out, 1, out.length - 1));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot encode telemetry point: buffer too small", e);
    }
    return out;
  }

  /** Decodes a point from its wire form. */
  public static TelemetryPoint decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new TelemetryCodecException("Cannot decode telemetry point: empty payload");
    }
    if (bytes[0] != SCHEMA_VERSION) {
      throw new TelemetryCodecException(
          "Cannot decode telemetry point: unknown schema version "
              + (bytes[0] & 0xff)
              + ", expected "
              + SCHEMA_VERSION);
    }
    TelemetryPointProto p;
    try {
      p = TelemetryPointProto.parser().parseFrom(bytes, 1, bytes.length - 1);
    } catch (InvalidProtocolBufferException e) {
      throw new TelemetryCodecException(
          "Cannot decode telemetry point: malformed payload: " + e.getMessage(), e);
    }
    return new TelemetryPoint(
        p.getSite(),
        p.getArea(),
        p.getLine(),
        p.getDevice(),
        p.getTag(),
        p.getTsMicros(),
        p.getIngestTsMicros(),
        fromProto(p),
        fromProto(p.getQuality()),
        Integer.toUnsignedLong(p.getStatusCode()),
        p.getUnit(),
        p.getCollectorId(),
        p.getSource(),
        p.getSeq());
  }

  /**
   * Reads only the {@code ingest_ts} of a point's wire form, without decoding the rest: for
   * counters on a hot path that need one field.
   */
  public static long ingestTsMicros(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || bytes[0] != SCHEMA_VERSION) {
      return decode(bytes).ingestTsMicros(); // throws the message decode gives
    }
    long ingest = 0;
    int i = 1;
    try {
      while (i < bytes.length) {
        long key = 0;
        for (int shift = 0; ; shift += 7) {
          byte b = bytes[i++];
          key |= (long) (b & 0x7F) << shift;
          if (b >= 0) {
            break;
          }
        }
        int field = (int) (key >>> 3);
        switch ((int) (key & 7)) {
          case 0 -> {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
              byte b = bytes[i++];
              v |= (long) (b & 0x7F) << shift;
              if (b >= 0) {
                break;
              }
            }
            if (field == TelemetryPointProto.INGEST_TS_MICROS_FIELD_NUMBER) {
              ingest = (v >>> 1) ^ -(v & 1); // zig-zag (sint64)
            }
          }
          case 1 -> i += 8;
          case 5 -> i += 4;
          case 2 -> {
            int n = 0;
            for (int shift = 0; ; shift += 7) {
              byte b = bytes[i++];
              n |= (b & 0x7F) << shift;
              if (b >= 0) {
                break;
              }
            }
            i += n;
          }
          default -> {
            return decode(bytes).ingestTsMicros();
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      return decode(bytes).ingestTsMicros();
    }
    if (i != bytes.length) {
      return decode(bytes).ingestTsMicros();
    }
    return ingest;
  }

  private static PointValue fromProto(TelemetryPointProto p) {
    switch (p.getValueCase()) {
      case DOUBLE_VALUE:
        return PointValue.of(p.getDoubleValue());
      case LONG_VALUE:
        return PointValue.of(p.getLongValue());
      case BOOL_VALUE:
        return PointValue.of(p.getBoolValue());
      case STRING_VALUE:
        return PointValue.of(p.getStringValue());
      default:
        throw new TelemetryCodecException("Cannot decode telemetry point: no value");
    }
  }

  private static QualityProto toProto(Quality q) {
    switch (q) {
      case GOOD:
        return QualityProto.QUALITY_GOOD;
      case UNCERTAIN:
        return QualityProto.QUALITY_UNCERTAIN;
      default:
        return QualityProto.QUALITY_BAD;
    }
  }

  private static Quality fromProto(QualityProto q) {
    switch (q) {
      case QUALITY_GOOD:
        return Quality.GOOD;
      case QUALITY_UNCERTAIN:
        return Quality.UNCERTAIN;
      case QUALITY_BAD:
        return Quality.BAD;
      default:
        throw new TelemetryCodecException("Cannot decode telemetry point: unknown quality " + q);
    }
  }
}
