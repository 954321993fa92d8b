package io.ironlake.jobs.internal;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer for {@link TelemetryPoint}, so points move between operators and into state
 * without Kryo: a format byte, then the fields written directly (strings as Flink's {@link
 * StringValue}, fixed-width numbers, the value's kind and value). It reads the first version's
 * records too (a four-byte length, whose first byte is 0, and the Kafka wire format of {@link
 * TelemetryCodec}), so checkpoints and savepoints of that version restore. Writing the fields
 * directly skips the protobuf builder and message of each hop: it is most of the cost of a keyBy.
 */
public final class TelemetryPointSerializer extends TypeSerializerSingleton<TelemetryPoint> {
  private static final long serialVersionUID = 1L;

  /** The one instance (the serializer is stateless). */
  public static final TelemetryPointSerializer INSTANCE = new TelemetryPointSerializer();

  /** First byte of a record in the direct format (a first-version record starts with 0). */
  static final byte DIRECT = (byte) 0xD1;

  private static final Quality[] QUALITIES = Quality.values();
  private static final byte DOUBLE = 0;
  private static final byte LONG = 1;
  private static final byte BOOLEAN = 2;
  private static final byte STRING = 3;

  private static final TelemetryPoint EMPTY =
      new TelemetryPoint(
          "", "", "", "", "", 0L, 0L, PointValue.of(0.0), Quality.GOOD, 0L, "", "", "", 0L);

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public TelemetryPoint createInstance() {
    return EMPTY;
  }

  @Override
  public TelemetryPoint copy(TelemetryPoint from) {
    return from;
  }

  @Override
  public TelemetryPoint copy(TelemetryPoint from, TelemetryPoint reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(TelemetryPoint p, DataOutputView target) throws IOException {
    target.writeByte(DIRECT);
    StringValue.writeString(p.site(), target);
    StringValue.writeString(p.area(), target);
    StringValue.writeString(p.line(), target);
    StringValue.writeString(p.device(), target);
    StringValue.writeString(p.tag(), target);
    target.writeLong(p.tsMicros());
    target.writeLong(p.ingestTsMicros());
    PointValue value = p.value();
    if (value instanceof PointValue.DoubleValue d) {
      target.writeByte(DOUBLE);
      target.writeDouble(d.value());
    } else if (value instanceof PointValue.LongValue l) {
      target.writeByte(LONG);
      target.writeLong(l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      target.writeByte(BOOLEAN);
      target.writeBoolean(b.value());
    } else {
      target.writeByte(STRING);
      StringValue.writeString(((PointValue.StringValue) value).value(), target);
    }
    target.writeByte(p.quality().ordinal());
    target.writeLong(p.statusCode());
    StringValue.writeString(p.unit(), target);
    StringValue.writeString(p.collectorId(), target);
    StringValue.writeString(p.source(), target);
    target.writeLong(p.seq());
  }

  @Override
  public TelemetryPoint deserialize(DataInputView source) throws IOException {
    byte first = source.readByte();
    if (first != DIRECT) {
      // First version: a big-endian int length (its first byte is 0) and the wire format.
      int length =
          (first & 0xff) << 24 | source.readUnsignedByte() << 16 | source.readUnsignedShort();
      byte[] bytes = new byte[length];
      source.readFully(bytes);
      return TelemetryCodec.decode(bytes);
    }
    String site = StringValue.readString(source);
    String area = StringValue.readString(source);
    String line = StringValue.readString(source);
    String device = StringValue.readString(source);
    String tag = StringValue.readString(source);
    long ts = source.readLong();
    long ingestTs = source.readLong();
    PointValue value =
        switch (source.readByte()) {
          case DOUBLE -> PointValue.of(source.readDouble());
          case LONG -> PointValue.of(source.readLong());
          case BOOLEAN -> PointValue.of(source.readBoolean());
          case STRING -> PointValue.of(StringValue.readString(source));
          default -> throw new IOException("Cannot read telemetry point: unknown value kind");
        };
    Quality quality = QUALITIES[source.readByte()];
    long statusCode = source.readLong();
    String unit = StringValue.readString(source);
    String collectorId = StringValue.readString(source);
    String src = StringValue.readString(source);
    long seq = source.readLong();
    return new TelemetryPoint(
        site,
        area,
        line,
        device,
        tag,
        ts,
        ingestTs,
        value,
        quality,
        statusCode,
        unit,
        collectorId,
        src,
        seq);
  }

  @Override
  public TelemetryPoint deserialize(TelemetryPoint reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<TelemetryPoint> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Snapshot for state compatibility: the wire format carries its own schema version. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TelemetryPoint> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
