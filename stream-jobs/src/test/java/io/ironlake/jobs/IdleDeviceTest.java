package io.ironlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One silent machine does not stall its line: m02, alone on its Kafka partition, stops sending at
 * 13:55 while m01 goes on; once the partition has been idle for {@code idleTimeout} the watermark
 * follows m01, so the 06:00-14:00 shift closes for both machines and the line, and m01's energy
 * windows close.
 */
class IdleDeviceTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final String TOPIC = "telemetry.idle";
  private static final Instant T0 = Instant.parse("2025-03-04T13:50:00Z");

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;
  private static long seq;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
    kafka.createTopic(TOPIC, 2);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aSilentMachineDoesNotHoldBackItsLine(@TempDir Path dataDir) {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .groupId("idle-test")
            .checkpointInterval(Duration.ofSeconds(1))
            .idleTimeout(Duration.ofSeconds(2))
            .build();
    try (LocalJobRunner jobs =
            LocalJobRunner.start(config, Set.of(IronlakeJobs.ENERGY, IronlakeJobs.QUALITY));
        KafkaProducer<byte[], byte[]> producer = producer()) {
      // Both machines every 30 s from 13:50 to 13:55; then m02 (partition 1) falls silent.
      int tick = 0;
      for (; tick <= 10; tick++) {
        sample(producer, 0, "m01", tick);
        sample(producer, 1, "m02", tick);
      }
      // m01 goes on, a sample every poll, until the line's 06:00-14:00 shift is written.
      int[] next = {tick};
      await("the line's shift closed while m02 is silent")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                sample(producer, 0, "m01", next[0]++);
                return !oeeRows(dataDir, "LINE").isEmpty();
              });

      OffsetDateTime shiftStart = OffsetDateTime.of(2025, 3, 4, 6, 0, 0, 0, ZoneOffset.UTC);
      Record line = oeeRows(dataDir, "LINE").get(0);
      assertThat(line.getField("shift_start")).isEqualTo(shiftStart);
      assertThat(line.getField("devices")).as("machines in the line row").isEqualTo(2);
      await("both machines' shift rows")
          .atMost(DEADLINE)
          .until(() -> oeeRows(dataDir, "DEVICE").size() >= 2);
      assertThat(oeeRows(dataDir, "DEVICE").stream().map(r -> r.getField("device")).sorted())
          .containsExactly("m01", "m02");
      // Energy: m01's minute 13:59 closed although m02 sent nothing after 13:55.
      OffsetDateTime minute1359 = T0.plusSeconds(9 * 60).atOffset(ZoneOffset.UTC);
      await("m01's energy window of 13:59")
          .atMost(DEADLINE)
          .until(
              () ->
                  LakeReads.rows(dataDir, IronlakeTables.ENERGY.identifier()).stream()
                      .anyMatch(
                          r ->
                              "m01".equals(r.getField("device"))
                                  && minute1359.equals(r.getField("window_start"))));
    }
  }

  private static List<Record> oeeRows(Path dataDir, String scope) {
    return LakeReads.rows(dataDir, IronlakeTables.OEE.identifier()).stream()
        .filter(r -> scope.equals(r.getField("scope")))
        .toList();
  }

  /** State, counters and energy meter of one machine at 13:50 + 30 s × tick. */
  private static void sample(
      KafkaProducer<byte[], byte[]> producer, int partition, String device, int tick) {
    long ts = (T0.getEpochSecond() + 30L * tick) * 1_000_000L;
    send(producer, partition, point(device, "state", ts, PointValue.of("RUNNING")));
    send(producer, partition, point(device, "total_count", ts, PointValue.of((long) tick * 10)));
    send(producer, partition, point(device, "good_count", ts, PointValue.of((long) tick * 9)));
    send(producer, partition, point(device, "energy_kwh", ts, PointValue.of(100.0 + tick)));
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, int partition, TelemetryPoint p) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  partition,
                  p.devicePath().getBytes(StandardCharsets.UTF_8),
                  TelemetryCodec.encode(p)))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot send: interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot send: " + e.getCause(), e);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static TelemetryPoint point(String device, String tag, long ts, PointValue value) {
    return new TelemetryPoint(
        "plant-sh",
        "assembly",
        "line-1",
        device,
        tag,
        ts,
        ts + 1_000L,
        value,
        Quality.GOOD,
        0L,
        "",
        "edge-idle",
        "source-" + device,
        seq++);
  }
}
