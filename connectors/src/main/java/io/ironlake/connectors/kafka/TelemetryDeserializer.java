package io.ironlake.connectors.kafka;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.TelemetryPoint;
import org.apache.kafka.common.serialization.Deserializer;

/** Kafka deserializer for {@link TelemetryPoint} values in the telemetry wire format. */
public class TelemetryDeserializer implements Deserializer<TelemetryPoint> {
  @Override
  public TelemetryPoint deserialize(String topic, byte[] data) {
    return data == null ? null : TelemetryCodec.decode(data);
  }
}
