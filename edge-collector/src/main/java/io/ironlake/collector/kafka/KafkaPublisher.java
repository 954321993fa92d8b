package io.ironlake.collector.kafka;

import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.internal.CollectorMetrics;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes points to the telemetry topic (key = device path, value = {@link TelemetryCodec} bytes)
 * and dead letters to the dead-letter topic, with one idempotent producer ({@code acks=all}, {@code
 * enable.idempotence=true}). Failed sends are counted and logged; nothing is spooled to disk yet.
 */
public final class KafkaPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  private final KafkaConfig config;
  private final String clientId;
  private final CollectorMetrics metrics;
  private final Producer<byte[], byte[]> producer;

  public KafkaPublisher(KafkaConfig config, String collectorId, CollectorMetrics metrics) {
    this.config = config;
    this.clientId = "ironlake-collector-" + collectorId;
    this.metrics = metrics;
    this.producer = new KafkaProducer<>(producerProperties(config, clientId));
    LOG.info(
        "kafka publisher started: clientId={}, bootstrapServers={}, telemetryTopic={},"
            + " deadletterTopic={}",
        clientId,
        config.bootstrapServers(),
        config.telemetryTopic(),
        config.deadletterTopic());
  }

  /** The producer properties the collector uses for a config. */
  public static Properties producerProperties(KafkaConfig config, String clientId) {
    Properties p = new Properties();
    p.putAll(config.properties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG, p.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, clientId));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(config.lingerMs()));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /**
   * Sends one point; {@code onDone} runs on the producer's thread once Kafka acknowledged it or
   * gave up. Blocks when the producer's buffer is full (back-pressure on the source).
   */
  public void send(TelemetryPoint point, Runnable onDone) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            config.telemetryTopic(),
            point.devicePath().getBytes(StandardCharsets.UTF_8),
            TelemetryCodec.encode(point));
    send(record, "point", point.source(), onDone, metrics::pointSent);
  }

  /** Sends one dead letter, like {@link #send(TelemetryPoint, Runnable)}. */
  public void sendDeadLetter(DeadLetter letter, Runnable onDone) {
    ProducerRecord<byte[], byte[]> r = letter.toProducerRecord();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(config.deadletterTopic(), null, r.key(), r.value(), r.headers());
    send(record, "dead letter", letter.source(), onDone, () -> {});
  }

  private void send(
      ProducerRecord<byte[], byte[]> record,
      String what,
      String source,
      Runnable onDone,
      Runnable onSuccess) {
    try {
      producer.send(
          record,
          (metadata, error) -> {
            try {
              if (error == null) {
                onSuccess.run();
              } else {
                failed(what, source, record.topic(), error);
              }
            } finally {
              onDone.run();
            }
          });
    } catch (RuntimeException e) {
      // Raised before the record entered the producer, e.g. too large or producer closed.
      failed(what, source, record.topic(), e);
      onDone.run();
    }
  }

  private void failed(String what, String source, String topic, Exception error) {
    long n = metrics.sendError();
    // 1st, 2nd, 4th, 8th, ... error: enough to notice, not enough to flood the log.
    if ((n & (n - 1)) == 0) {
      LOG.warn(
          "kafka send failed: clientId={}, source={}, topic={}, record={}, sendErrors={},"
              + " error={}",
          clientId,
          source,
          topic,
          what,
          n,
          error.toString());
    }
  }

  /** Waits until every record sent so far has been acknowledged or failed. */
  public void flush() {
    producer.flush();
  }

  /** Flushes, then closes the producer, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    try {
      producer.flush();
    } finally {
      producer.close(timeout);
      LOG.info("kafka publisher closed: clientId={}", clientId);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
