package io.ironlake.jobs.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.LakeReads;
import io.ironlake.jobs.LocalJobRunner;
import io.ironlake.jobs.TelemetryProducer;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyJobTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String TOPIC = "telemetry.energy";
  private static final Instant T0 = Instant.parse("2025-03-04T08:00:00Z");

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;
  private static long seq;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
    kafka.createTopic(TOPIC, 1);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** One expected row: device, minute after T0, kWh, readings, resets. */
  record Expected(String device, int minute, double kwh, int readings, int resets) {}

  @Test
  void energyPerDevicePerMinuteFromCumulativeMeters(@TempDir Path dataDir) {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .groupId("energy-test")
            .checkpointInterval(Duration.ofSeconds(1))
            .maxOutOfOrderness(Duration.ofSeconds(5))
            .build();

    // Both built-in jobs, as the quickstart runs them: one source, one dedup, two sinks.
    try (LocalJobRunner jobs = LocalJobRunner.start(config, IronlakeJobs.ALL);
        TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), TOPIC)) {
      // Sent in timestamp order (but for one pair 3 s apart): the source's periodic watermark may
      // come between any two sends, so a point more than 5 s behind the newest one would be late.
      // press-1: a double meter; oven-2: an integer meter, silent in minute 2, reset in minute 3.
      producer.send(meter("oven-2", 0, 5, 5000L));
      producer.send(meter("press-1", 0, 10, 100.0));
      producer.send(meter("oven-2", 0, 35, 5002L));
      producer.send(meter("press-1", 0, 40, 100.5));
      producer.send(meter("oven-2", 1, 5, 5003L));
      producer.send(meter("press-1", 1, 20, 101.25));
      producer.send(bad("press-1", 1, 30, 999.0)); // BAD quality: ignored
      producer.send(meter("press-1", 1, 50, 102.0));
      producer.send(meter("press-1", 2, 30, 0.4)); // reset: the meter restarted from 0
      producer.send(meter("press-1", 2, 43, 0.9)); // arrives before the 2:40 reading ...
      producer.send(meter("press-1", 2, 40, 0.8)); // ... 3 s out of order, within the 5 s bound
      producer.send(meter("press-1", 3, 5, 1.5));
      producer.send(meter("oven-2", 3, 15, 5010L));
      producer.send(meter("oven-2", 3, 45, 3L));
      // Another tag moves the watermark past minute 3 without adding energy (not power: a
      // device without a meter has its power integrated).
      producer.send(otherTag("mixer-3", 10, 0));

      await().atMost(DEADLINE).until(() -> energyRows(dataDir).size() >= 7);

      // Behind the watermark now: late, counted and left out of every window.
      producer.send(meter("press-1", 0, 50, 100.7));
      producer.send(meter("press-1", 15, 0, 2.0));
      producer.send(otherTag("mixer-3", 20, 0));
      await().atMost(DEADLINE).until(() -> energyRows(dataDir).size() >= 8);
      assertThat(jobs.status().isGloballyTerminalState()).isFalse();
      // The ingest job got every point, meter or not, BAD or late.
      await().atMost(DEADLINE).until(() -> telemetryRows(dataDir) >= seq);
      assertThat(telemetryRows(dataDir)).isEqualTo(seq);
    }

    List<Expected> expected =
        List.of(
            new Expected("oven-2", 0, 2.0, 2, 0),
            new Expected("oven-2", 1, 1.0, 1, 0),
            new Expected("oven-2", 3, 7.0 + 3.0, 2, 1),
            new Expected("press-1", 0, 0.5, 2, 0),
            new Expected("press-1", 1, 0.75 + 0.75, 2, 0),
            new Expected("press-1", 2, 0.4 + 0.4 + 0.1, 3, 1),
            new Expected("press-1", 3, 0.6, 1, 0),
            new Expected("press-1", 15, 0.5, 1, 0));
    List<Record> rows = energyRows(dataDir);
    assertThat(rows).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Expected e = expected.get(i);
      Record r = rows.get(i);
      OffsetDateTime start = T0.plusSeconds(60L * e.minute()).atOffset(ZoneOffset.UTC);
      assertThat(r.getField("site")).isEqualTo("plant-sh");
      assertThat(r.getField("area")).isEqualTo("utilities");
      assertThat(r.getField("line")).isEqualTo("line-1");
      assertThat(r.getField("device")).isEqualTo(e.device());
      assertThat(r.getField("window_start")).as("start of %s", e).isEqualTo(start);
      assertThat(r.getField("window_end")).as("end of %s", e).isEqualTo(start.plusMinutes(1));
      assertThat((Double) r.getField("energy_kwh"))
          .as("kWh of %s", e)
          .isCloseTo(e.kwh(), org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.getField("readings")).as("readings of %s", e).isEqualTo(e.readings());
      assertThat(r.getField("meter_resets")).as("resets of %s", e).isEqualTo(e.resets());
    }
  }

  private static long telemetryRows(Path dataDir) {
    return LakeReads.rows(dataDir, IronlakeTables.TELEMETRY.identifier()).size();
  }

  private static List<Record> energyRows(Path dataDir) {
    return LakeReads.rows(dataDir, IronlakeTables.ENERGY.identifier()).stream()
        .sorted(
            Comparator.comparing((Record r) -> (String) r.getField("device"))
                .thenComparing(r -> (OffsetDateTime) r.getField("window_start")))
        .toList();
  }

  private static TelemetryPoint meter(String device, int minute, int second, double kwh) {
    return point(device, "energy_kwh", minute, second, PointValue.of(kwh), Quality.GOOD);
  }

  private static TelemetryPoint meter(String device, int minute, int second, long kwh) {
    return point(device, "energy_kwh", minute, second, PointValue.of(kwh), Quality.GOOD);
  }

  private static TelemetryPoint bad(String device, int minute, int second, double kwh) {
    return point(device, "energy_kwh", minute, second, PointValue.of(kwh), Quality.BAD);
  }

  private static TelemetryPoint otherTag(String device, int minute, int second) {
    return point(device, "flow_m3h", minute, second, PointValue.of(3.0), Quality.GOOD);
  }

  private static TelemetryPoint point(
      String device, String tag, int minute, int second, PointValue value, Quality quality) {
    long micros = (T0.getEpochSecond() + 60L * minute + second) * 1_000_000L;
    return new TelemetryPoint(
        "plant-sh",
        "utilities",
        "line-1",
        device,
        tag,
        micros,
        micros + 1_000L,
        value,
        quality,
        quality == Quality.BAD ? 0x80000000L : 0L,
        "kWh",
        "edge-e",
        "opcua-e",
        seq++);
  }
}
