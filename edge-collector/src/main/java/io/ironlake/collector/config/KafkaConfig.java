package io.ironlake.collector.config;

import io.ironlake.connectors.kafka.Topics;
import java.util.Locale;
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

  /**
   * {@code snappy} where the runnable jar carries snappy's native library (Linux on x86-64 and
   * aarch64), {@code lz4} elsewhere (its pure-Java fallback). On the collector's points snappy
   * compresses as well as lz4 (about 25 against 26 bytes per point in batches of 1,000), and unlike
   * Kafka's lz4 stream it does not allocate two new 64 KiB block buffers for every batch: at
   * 100,000 values/s those were a quarter of all the collector allocated (bench/RESULTS.md).
   */
  public static final String COMPRESSION_DEFAULT =
      defaultCompression(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

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

  /** The default compression on a platform, by its {@code os.name} and {@code os.arch}. */
  static String defaultCompression(String osName, String osArch) {
    boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean nativeSnappy =
        linux && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    return nativeSnappy ? "snappy" : "lz4";
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
