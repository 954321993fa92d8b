package io.ironlake.collector.config;

import io.ironlake.connectors.kafka.Topics;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the collector publishes: the {@code kafka} mapping of the YAML file.
 *
 * @param bootstrapServers {@code kafka.bootstrap-servers}
 * @param telemetryTopic {@code kafka.telemetry-topic}
 * @param deadletterTopic {@code kafka.deadletter-topic}
 * @param lingerMs {@code kafka.linger-ms}
 * @param compression {@code kafka.compression}: none, gzip, snappy, lz4 or zstd
 * @param properties {@code kafka.properties}: extra producer properties
 * @param eventsTopic {@code kafka.events-topic}: OPC UA events and alarms
 */
public record KafkaConfig(
    String bootstrapServers,
    String telemetryTopic,
    String deadletterTopic,
    int lingerMs,
    String compression,
    Map<String, String> properties,
    String eventsTopic) {

  public static final int LINGER_MS_DEFAULT = 5;
  public static final String COMPRESSION_DEFAULT = "lz4";

  public KafkaConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(telemetryTopic, "telemetryTopic");
    Objects.requireNonNull(deadletterTopic, "deadletterTopic");
    Objects.requireNonNull(compression, "compression");
    properties = Map.copyOf(properties);
    eventsTopic = eventsTopic == null ? Topics.EVENTS : eventsTopic;
  }

  /** A config publishing events to {@link Topics#EVENTS}. */
  public KafkaConfig(
      String bootstrapServers,
      String telemetryTopic,
      String deadletterTopic,
      int lingerMs,
      String compression,
      Map<String, String> properties) {
    this(
        bootstrapServers,
        telemetryTopic,
        deadletterTopic,
        lingerMs,
        compression,
        properties,
        Topics.EVENTS);
  }

  /** The defaults for everything but the brokers. */
  public static KafkaConfig of(String bootstrapServers) {
    return new KafkaConfig(
        bootstrapServers,
        Topics.TELEMETRY,
        Topics.DEADLETTER,
        LINGER_MS_DEFAULT,
        COMPRESSION_DEFAULT,
        Map.of());
  }
}
