package io.ironlake.jobs.rules.internal;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The rules topic's record values as text; tombstones (deleted catalogs) are skipped. */
public final class RulesRecordDeserializer implements KafkaRecordDeserializationSchema<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
    if (record.value() != null) {
      out.collect(new String(record.value(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public TypeInformation<String> getProducedType() {
    return Types.STRING;
  }
}
