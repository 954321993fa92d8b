package io.ironlake.jobs.safety;

import io.ironlake.jobs.JobsConfig;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Alarm events to Kafka and operator commands from Kafka. */
public final class AlarmKafka {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmKafka.class);

  private AlarmKafka() {}

  /**
   * A sink writing each event as JSON ({@link AlarmJson#toJson(AlarmEvent)}) to {@code
   * alarmsTopic}, keyed by device path (a device's events stay in order), at least once: after a
   * restore, events since the last checkpoint may repeat (same alarmId and state).
   */
  public static KafkaSink<AlarmEvent> sink(JobsConfig config) {
    return KafkaSink.<AlarmEvent>builder()
        .setBootstrapServers(config.kafkaBootstrapServers())
        .setRecordSerializer(new Serializer(config.alarmsTopic()))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        // Alarms are few: each goes out at once instead of lingering 5 ms for a fuller batch.
        .setProperty("linger.ms", "0")
        .build();
  }

  /**
   * Operator commands from {@code alarmCommandsTopic}; malformed ones are logged and skipped. On a
   * fresh start it begins at the group's committed offsets, or at the end when there are none (old
   * commands are not replayed onto a new job). With {@link JobsConfig#bounded()} it stops at the
   * offsets that are the latest when the job starts.
   */
  @SuppressWarnings("deprecation") // OffsetResetStrategy is what the 5.0 connector takes
  public static DataStream<AlarmCommand> commands(
      StreamExecutionEnvironment env, JobsConfig config) {
    var builder = KafkaSource.<AlarmCommand>builder();
    if (config.bounded()) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    KafkaSource<AlarmCommand> source =
        builder
            .setBootstrapServers(config.kafkaBootstrapServers())
            .setTopics(config.alarmCommandsTopic())
            .setGroupId(config.groupId())
            .setClientIdPrefix(config.groupId() + "-alarm-commands")
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
            .setDeserializer(new CommandDeserializer())
            .setProperty("partition.discovery.interval.ms", "10000")
            .setProperty("commit.offsets.on.checkpoint", "true")
            .build();
    return env.fromSource(
            source,
            WatermarkStrategy.noWatermarks(),
            "alarm-commands",
            TypeInformation.of(AlarmCommand.class))
        .uid("safety-alarm-commands")
        .setParallelism(config.parallelism());
  }

  private static final class Serializer implements KafkaRecordSerializationSchema<AlarmEvent> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    Serializer(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        AlarmEvent e, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(
          topic,
          null,
          Math.floorDiv(e.tsMicros(), 1000L),
          e.devicePath().getBytes(StandardCharsets.UTF_8),
          AlarmJson.toJson(e));
    }
  }

  private static final class CommandDeserializer
      implements KafkaRecordDeserializationSchema<AlarmCommand> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<AlarmCommand> out) {
      try {
        out.collect(AlarmJson.parseCommand(record.value(), record.timestamp() * 1000L));
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "alarm command skipped: topic={}, partition={}, offset={}, reason={}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage());
      }
    }

    @Override
    public TypeInformation<AlarmCommand> getProducedType() {
      return TypeInformation.of(AlarmCommand.class);
    }
  }
}
