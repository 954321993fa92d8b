package io.ironlake.jobs.internal;

import io.ironlake.jobs.JobsConfig;
import io.ironlake.lakehouse.tables.TableSpec;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a table's rows to its indicator topic as JSON ({@link RowJson}), keyed by ISA-95 path,
 * exactly once: in Kafka transactions committed with the checkpoint that commits the same rows to
 * the Iceberg table, so a {@code read_committed} consumer sees each row once, even across restarts.
 */
public final class IndicatorTopicSink {
  /**
   * The producers' transaction timeout: the broker's default {@code transaction.max.timeout.ms} (15
   * min). A job down for longer loses the topic rows of its last, uncommitted checkpoint (the
   * broker aborts them; the table still gets them on restore).
   */
  public static final String TRANSACTION_TIMEOUT_MS = "900000";

  private IndicatorTopicSink() {}

  /** Adds a transactional Kafka sink of {@code rows} (rows of {@code table}) to {@code topic}. */
  public static DataStreamSink<RowData> add(
      DataStream<RowData> rows, TableSpec table, String topic, JobsConfig config, String uid) {
    KafkaSink<RowData> sink =
        KafkaSink.<RowData>builder()
            .setBootstrapServers(config.kafkaBootstrapServers())
            .setRecordSerializer(new Serializer(topic, new RowJson(table)))
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            // Unique per job (group) and sink, so two jobs on one broker never fence each other.
            .setTransactionalIdPrefix(config.groupId() + "-" + uid + "-topic")
            .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS)
            .setProperty(ProducerConfig.LINGER_MS_CONFIG, "20")
            .setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
            .build();
    return rows.sinkTo(sink)
        .name(uid + "-topic")
        .uid(uid + "-topic")
        .setParallelism(config.parallelism());
  }

  private static final class Serializer implements KafkaRecordSerializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final RowJson json;

    Serializer(String topic, RowJson json) {
      this.topic = topic;
      this.json = json;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        RowData row, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(topic, null, null, json.key(row), json.toJson(row));
    }
  }
}
