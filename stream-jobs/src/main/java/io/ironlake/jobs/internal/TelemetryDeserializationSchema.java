package io.ironlake.jobs.internal;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.codec.TelemetryCodecException;
import io.ironlake.connectors.record.TelemetryPoint;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code telemetry.v1} records with {@link TelemetryCodec}. A record that does not decode
 * is counted ({@value #UNDECODABLE_METRIC}) and skipped with a WARN naming its topic, partition and
 * offset: the collector already sends bad input to the dead-letter topic, so this is defence in
 * depth and must never stop the job.
 */
public final class TelemetryDeserializationSchema
    implements KafkaRecordDeserializationSchema<TelemetryPoint> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryDeserializationSchema.class);

  /** Name of the counter of skipped records. */
  public static final String UNDECODABLE_METRIC = "undecodableRecords";

  private transient Counter undecodable;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    undecodable = context.getMetricGroup().counter(UNDECODABLE_METRIC);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryPoint> out) {
    TelemetryPoint point;
    try {
      point = TelemetryCodec.decode(record.value());
    } catch (TelemetryCodecException | IllegalArgumentException | NullPointerException e) {
      if (undecodable != null) {
        undecodable.inc();
      }
      LOG.warn(
          "telemetry record skipped: topic={}, partition={}, offset={}, bytes={}, reason={}",
          record.topic(),
          record.partition(),
          record.offset(),
          record.value() == null ? 0 : record.value().length,
          e.getMessage());
      return;
    }
    out.collect(point);
  }

  @Override
  public TypeInformation<TelemetryPoint> getProducedType() {
    return TelemetryPointTypeInfo.INSTANCE;
  }
}
