package io.ironlake.jobs.late;

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
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late points of every job end up in {@code ironlake.late_points}, one row per operator that found
 * each late, with the watermark at that moment; none is dropped silently.
 */
class LatePointsTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final String TOPIC = "telemetry.late";
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

  /** Who found a point late: job, operator and the point's tag. */
  record Finder(String job, String operator, String tag) {}

  @Test
  void latePointsOfEveryJobAreKeptWithTheirFinderAndWatermark(@TempDir Path dataDir) {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .groupId("late-test")
            .alarmsTopic("alarms.late-test")
            .alarmCommandsTopic("alarm-commands.late-test")
            .checkpointInterval(Duration.ofSeconds(1))
            .build();
    try (LocalJobRunner jobs = LocalJobRunner.start(config, IronlakeJobs.KNOWN);
        TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), TOPIC)) {
      // One machine, every minute from 08:00 to 09:10: the hour 08:00-09:00 closes.
      for (int minute = 0; minute <= 70; minute++) {
        producer.send(point("energy_kwh", minute * 60, PointValue.of(100.0 + minute)));
        producer.send(point("diameter_mm", minute * 60, PointValue.of(12.0 + minute % 3 / 100.0)));
        producer.send(point("state", minute * 60, PointValue.of("RUNNING")));
        producer.send(point("temperature_c", minute * 60, PointValue.of(30.0 + minute % 2)));
      }
      // The data-quality row of 08:00 exists: the watermark passed 09:00 everywhere.
      await("the hour 08:00 closed")
          .atMost(DEADLINE)
          .until(
              () -> !LakeReads.rows(dataDir, IronlakeTables.DATA_QUALITY.identifier()).isEmpty());

      // Behind the watermark now: each is late for its indicator and for its data-quality hour.
      long lateTs = 30 * 60 + 30;
      producer.send(point("energy_kwh", lateTs, PointValue.of(130.5)));
      producer.send(point("diameter_mm", lateTs, PointValue.of(12.5)));
      producer.send(point("state", lateTs, PointValue.of("IDLE")));
      producer.send(point("temperature_c", lateTs, PointValue.of(99.0)));

      List<Finder> want =
          List.of(
              new Finder("dataquality", "data-quality-per-hour", "diameter_mm"),
              new Finder("dataquality", "data-quality-per-hour", "energy_kwh"),
              new Finder("dataquality", "data-quality-per-hour", "state"),
              new Finder("dataquality", "data-quality-per-hour", "temperature_c"),
              new Finder("energy", "energy-per-device-minute", "energy_kwh"),
              // The energy job reads the machine state too (idle vs producing energy).
              new Finder("energy", "energy-per-device-minute", "state"),
              new Finder("quality", "oee-per-device", "state"),
              new Finder("quality", "spc", "diameter_mm"),
              new Finder("safety", "pattern-overheat-without-coolant", "temperature_c"),
              new Finder("safety", "tag-alarms", "temperature_c"));
      await("the late points in ironlake.late_points")
          .atMost(DEADLINE)
          .until(() -> latePoints(dataDir).size() >= want.size());
      List<Record> rows = latePoints(dataDir);
      assertThat(
              rows.stream()
                  .map(
                      r ->
                          new Finder(
                              (String) r.getField("job"),
                              (String) r.getField("operator"),
                              (String) r.getField("tag")))
                  .sorted(
                      java.util.Comparator.comparing(Finder::job)
                          .thenComparing(Finder::operator)
                          .thenComparing(Finder::tag))
                  .toList())
          .isEqualTo(want);
      OffsetDateTime ts = T0.plusSeconds(lateTs).atOffset(ZoneOffset.UTC);
      OffsetDateTime hourEnd = T0.plusSeconds(3600).atOffset(ZoneOffset.UTC);
      for (Record r : rows) {
        assertThat(r.getField("ts")).isEqualTo(ts);
        assertThat((OffsetDateTime) r.getField("watermark"))
            .as("watermark of %s", r)
            .isAfterOrEqualTo(hourEnd.minusNanos(1_000_000));
        assertThat(r.getField("device")).isEqualTo("m01");
        assertThat(r.getField("collector_id")).isEqualTo("edge-late");
        if ("temperature_c".equals(r.getField("tag"))) {
          assertThat(r.getField("value_double")).isEqualTo(99.0);
        }
        if ("state".equals(r.getField("tag"))) {
          assertThat(r.getField("value_string")).isEqualTo("IDLE");
          assertThat(r.getField("value_double")).isNull();
        }
      }
      // The raw record keeps every point, late or not.
      await("every point in ironlake.telemetry")
          .atMost(DEADLINE)
          .until(
              () -> LakeReads.rows(dataDir, IronlakeTables.TELEMETRY.identifier()).size() == seq);
    }
  }

  private static List<Record> latePoints(Path dataDir) {
    return LakeReads.rows(dataDir, IronlakeTables.LATE_POINTS.identifier());
  }

  private static TelemetryPoint point(String tag, long second, PointValue value) {
    long micros = (T0.getEpochSecond() + second) * 1_000_000L;
    return new TelemetryPoint(
        "plant-sh",
        "assembly",
        "line-1",
        "m01",
        tag,
        micros,
        micros + 2_000L,
        value,
        Quality.GOOD,
        0L,
        "",
        "edge-late",
        "opcua-late",
        seq++);
  }
}
