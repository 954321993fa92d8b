package io.ironlake.jobs.internal;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer for {@link TelemetryPoint}, so points move between operators and into state
 * without Kryo. A record is a format byte, {@link #COMPACT}, then a varint body length and the body
 * ({@link CompactPointFormat}: the fields written directly, strings as a varint length and their
 * UTF-8 bytes, numbers big-endian). Writing the fields directly skips the protobuf builder and
 * message of each hop. The body is written from a reused buffer with one call and read with one
 * {@code readFully} into a reused buffer, then parsed from the array, instead of a {@link
 * DataInputView} call (and a fresh array per string) per field; strings of up to 64 bytes come from
 * a bounded cache ({@link Utf8StringCache}), so a plant's repeated names (site, area, line, device,
 * tag, unit, collector id, source) come back as the same instances: no allocation, the hash of each
 * computed once, and {@code equals} in the keyed state and maps downstream an identity check.
 *
 * <p>Thread safety: this is a {@link TypeSerializerSingleton}: {@link #INSTANCE} is shared by every
 * task thread of a JVM (a MiniCluster runs all tasks in one) and by the asynchronous snapshot
 * threads. The buffer and the cache are therefore thread-confined: one {@link CompactPointFormat}
 * per thread in a {@link ThreadLocal}, fetched once per call. The alternative, a stateful
 * serializer whose {@link #duplicate()} returns a new instance, is only as safe as every caller:
 * each code path of Flink (and of ours: {@code TelemetryPointTypeInfo} hands out the instance) that
 * passes a serializer to another thread must call {@code duplicate()} first, and one that does not
 * corrupts device names silently; a thread-local holder is safe whoever calls it, for the cost of
 * one thread-local lookup per record. The threads that call it (task threads, a task's snapshot
 * threads) end with their task, and their holders (a buffer of at most 64 KB kept, a cache of at
 * most 1,024 strings of at most 64 bytes) with them.
 *
 * <p>It reads the records of earlier versions too, so their checkpoints and savepoints restore: the
 * first version's (a four-byte length, whose first byte is 0, and the Kafka wire format of {@link
 * TelemetryCodec}), the direct format with strings as {@link StringValue} ({@link
 * #DIRECT_STRING_VALUE}) and the direct format with UTF-8 strings read field by field ({@link
 * #DIRECT}).
 */
public final class TelemetryPointSerializer extends TypeSerializerSingleton<TelemetryPoint> {
  private static final long serialVersionUID = 1L;

  /** The one instance (its per-thread buffers are in a thread-local, see above). */
  public static final TelemetryPointSerializer INSTANCE = new TelemetryPointSerializer();

  /** First byte of a record in the compact format, written since the fourth version. */
  static final byte COMPACT = (byte) 0xD3;

  /** First byte of a record in the direct format of the third version (read field by field). */
  static final byte DIRECT = (byte) 0xD2;

  /** First byte of a record in the direct format of the second version (strings as StringValue). */
  static final byte DIRECT_STRING_VALUE = (byte) 0xD1;

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
    target.writeByte(COMPACT);
    CompactPointFormat.current().write(p, target);
  }

  @Override
  public TelemetryPoint deserialize(DataInputView source) throws IOException {
    byte first = source.readByte();
    if (first == COMPACT) {
      return CompactPointFormat.current().read(source);
    }
    if (first == 0) {
      // First version: a big-endian int length (its first byte is 0) and the wire format.
      int length =
          (first & 0xff) << 24 | source.readUnsignedByte() << 16 | source.readUnsignedShort();
      byte[] bytes = new byte[length];
      source.readFully(bytes);
      return TelemetryCodec.decode(bytes);
    }
    if (first != DIRECT && first != DIRECT_STRING_VALUE) {
      throw new IOException("Cannot read telemetry point: unknown format " + (first & 0xff));
    }
    boolean utf8 = first == DIRECT;
    String site = readString(source, utf8);
    String area = readString(source, utf8);
    String line = readString(source, utf8);
    String device = readString(source, utf8);
    String tag = readString(source, utf8);
    long ts = source.readLong();
    long ingestTs = source.readLong();
    PointValue value =
        switch (source.readByte()) {
          case DOUBLE -> PointValue.of(source.readDouble());
          case LONG -> PointValue.of(source.readLong());
          case BOOLEAN -> PointValue.of(source.readBoolean());
          case STRING -> PointValue.of(readString(source, utf8));
          default -> throw new IOException("Cannot read telemetry point: unknown value kind");
        };
    Quality quality = QUALITIES[source.readByte()];
    long statusCode = source.readLong();
    String unit = readString(source, utf8);
    String collectorId = readString(source, utf8);
    String src = readString(source, utf8);
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

  private static String readString(DataInputView source, boolean utf8) throws IOException {
    if (!utf8) {
      return StringValue.readString(source);
    }
    int n = CompactPointFormat.readLength(source, "string");
    if (n == 0) {
      return "";
    }
    byte[] bytes = new byte[n];
    source.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
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
