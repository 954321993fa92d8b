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

/**
 * Flink serializer for {@link TelemetryPoint}: a length prefix and the Kafka wire format ({@link
 * TelemetryCodec}), so points move between operators and into state without Kryo.
 */
public final class TelemetryPointSerializer extends TypeSerializerSingleton<TelemetryPoint> {
  private static final long serialVersionUID = 1L;

  /** The one instance (the serializer is stateless). */
  public static final TelemetryPointSerializer INSTANCE = new TelemetryPointSerializer();

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
  public void serialize(TelemetryPoint record, DataOutputView target) throws IOException {
    byte[] bytes = TelemetryCodec.encode(record);
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public TelemetryPoint deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    return TelemetryCodec.decode(bytes);
  }

  @Override
  public TelemetryPoint deserialize(TelemetryPoint reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int length = source.readInt();
    target.writeInt(length);
    target.write(source, length);
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
