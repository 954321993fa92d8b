package io.ironlake.connectors.kafka;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.TelemetryPoint;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for {@link TelemetryPoint} values in the telemetry wire format. */
public class TelemetrySerializer implements Serializer<TelemetryPoint> {
  @Override
  public byte[] serialize(String topic, TelemetryPoint point) {
    return point == null ? null : TelemetryCodec.encode(point);
  }
}
