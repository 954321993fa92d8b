package io.ironlake.bench.collector;

import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.kafka.KafkaPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Ceiling B: a bare {@link KafkaProducer} with exactly the collector's producer settings ({@link
 * KafkaPublisher#producerProperties} for the collector's Kafka config: idempotent, {@code
 * acks=all}, the same linger, compression and buffer) sending already-encoded points, as fast as it
 * takes them, until Kafka acknowledged every one.
 */
final class RawProducerRun {
  private RawProducerRun() {}

  /**
   * Sends {@code count} records, cycling through {@code records}, and measures until the last
   * acknowledgement.
   *
   * @throws IllegalStateException when Kafka refused a record or did not acknowledge in time
   */
  static Measurement run(
      KafkaConfig kafka, List<ProducerRecord<byte[], byte[]>> records, long count) {
    Properties props = KafkaPublisher.producerProperties(kafka, "ironlake-bench-raw-producer");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer.partitionsFor(records.get(0).topic()); // metadata before the clock starts
      CountDownLatch acked = new CountDownLatch((int) count);
      AtomicLong errors = new AtomicLong();
      ProcessClock clock = ProcessClock.start();
      for (long i = 0; i < count; i++) {
        producer.send(
            records.get((int) (i % records.size())),
            (metadata, e) -> {
              if (e != null) {
                errors.incrementAndGet();
              }
              acked.countDown();
            });
      }
      if (!acked.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "Cannot finish raw producer run: " + acked.getCount() + " records not acknowledged");
      }
      Measurement m = clock.stop(count);
      if (errors.get() > 0) {
        throw new IllegalStateException(
            "Cannot finish raw producer run: Kafka refused " + errors.get() + " records");
      }
      producer.close(Duration.ofSeconds(10));
      return m;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot finish raw producer run: interrupted", e);
    }
  }
}
