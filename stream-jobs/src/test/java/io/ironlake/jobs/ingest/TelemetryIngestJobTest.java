package io.ironlake.jobs.ingest;

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
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryIngestJobTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final long T0_MICROS =
      Instant.parse("2025-03-04T08:00:00Z").toEpochMilli() * 1000L + 123L;

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void everyPointLandsExactlyOnceWithItsFields(@TempDir Path dataDir) {
    String topic = "telemetry.ingest-once";
    kafka.createTopic(topic, 2);
    List<TelemetryPoint> points = points("edge-1", 0, 40);
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      points.forEach(producer::send);
      // The collector resends after a reconnect: same (collector, source, seq).
      points.subList(5, 15).forEach(producer::send);
      producer.sendRaw("plant-sh/a/l/d", new byte[] {42, 1, 2, 3});
    }

    JobsConfig config = config(dataDir, topic);
    try (LocalJobRunner jobs = LocalJobRunner.start(config, Set.of(IronlakeJobs.INGEST));
        LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      TableStats stats = new TableStats(lake.catalog());
      await()
          .atMost(DEADLINE)
          .until(() -> stats.totalRecords(IronlakeTables.TELEMETRY.identifier()) >= points.size());
      assertThat(jobs.status()).isEqualTo(JobStatus.RUNNING);

      // Duplicates arriving while the job runs are dropped too; a new point still lands.
      TelemetryPoint marker = points("edge-1", 40, 1).get(0);
      try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
        points.subList(0, 10).forEach(producer::send);
        producer.send(marker);
      }
      await()
          .atMost(DEADLINE)
          .until(
              () -> stats.totalRecords(IronlakeTables.TELEMETRY.identifier()) >= points.size() + 1);

      List<TelemetryPoint> expected = new ArrayList<>(points);
      expected.add(marker);
      assertThat(rowsAsLists(dataDir))
          .containsExactlyInAnyOrderElementsOf(expected.stream().map(p -> expectedRow(p)).toList());
    }
  }

  @Test
  void restartsAfterAStopOrACancelLoseAndDoubleNothing(@TempDir Path dataDir) {
    String topic = "telemetry.ingest-restart";
    kafka.createTopic(topic, 1);
    List<TelemetryPoint> first = points("edge-2", 0, 20);
    List<TelemetryPoint> second = points("edge-2", 20, 20);
    List<TelemetryPoint> third = points("edge-2", 40, 20);
    JobsConfig config = config(dataDir, topic);
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      first.forEach(producer::send);
      try (LocalJobRunner jobs = LocalJobRunner.start(config, Set.of(IronlakeJobs.INGEST))) {
        assertThat(jobs.restoredFrom()).isEmpty();
        awaitRows(dataDir, 20);
      } // stops with a savepoint

      // While the jobs are down: new points with the first ones again in between (the last new
      // point comes after the duplicates, so seeing it means the duplicates were processed).
      sendAround(producer, second, first);
      try (LocalJobRunner jobs = LocalJobRunner.start(config, Set.of(IronlakeJobs.INGEST))) {
        assertThat(jobs.restoredFrom()).hasValueSatisfying(p -> assertThat(p).isDirectory());
        assertThat(jobs.restoredFrom().get().getFileName().toString()).startsWith("savepoint-");
        awaitRows(dataDir, 40);
        jobs.cancel(); // like a crash: no savepoint, the last checkpoint stays
      }

      sendAround(producer, third, second);
      try (LocalJobRunner jobs = LocalJobRunner.start(config, Set.of(IronlakeJobs.INGEST))) {
        assertThat(jobs.restoredFrom().get().getFileName().toString()).startsWith("chk-");
        awaitRows(dataDir, 60);
      }
    }
    // Restored snapshots were claimed and removed once superseded; the last stop left one.
    assertThat(config.savepointDir().toFile().list()).hasSize(1);
    List<TelemetryPoint> all = new ArrayList<>(first);
    all.addAll(second);
    all.addAll(third);
    assertThat(rowsAsLists(dataDir))
        .containsExactlyInAnyOrderElementsOf(all.stream().map(p -> expectedRow(p)).toList());
  }

  private static void sendAround(
      TelemetryProducer producer, List<TelemetryPoint> fresh, List<TelemetryPoint> duplicates) {
    fresh.subList(0, fresh.size() - 1).forEach(producer::send);
    duplicates.forEach(producer::send);
    producer.send(fresh.get(fresh.size() - 1));
  }

  private static void awaitRows(Path dataDir, long rows) {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      TableStats stats = new TableStats(lake.catalog());
      await()
          .atMost(DEADLINE)
          .until(() -> stats.totalRecords(IronlakeTables.TELEMETRY.identifier()) >= rows);
    }
  }

  private static JobsConfig config(Path dataDir, String topic) {
    return JobsConfig.builder()
        .kafkaBootstrapServers(kafka.bootstrapServers())
        .dataDir(dataDir)
        .topic(topic)
        .groupId("group-" + topic)
        .checkpointInterval(Duration.ofSeconds(1))
        .build();
  }

  /** Points cycling through every value type and quality, one seq each. */
  private static List<TelemetryPoint> points(String collector, int firstSeq, int count) {
    List<TelemetryPoint> points = new ArrayList<>();
    for (int seq = firstSeq; seq < firstSeq + count; seq++) {
      PointValue value =
          switch (seq % 4) {
            case 0 -> PointValue.of(seq * 1.25);
            case 1 -> PointValue.of((long) seq * 1000);
            case 2 -> PointValue.of(seq % 3 == 0);
            default -> PointValue.of("state-" + seq);
          };
      Quality quality = Quality.values()[seq % 3];
      long status =
          quality == Quality.GOOD ? 0L : quality == Quality.UNCERTAIN ? 0x40000000L : 0x80000000L;
      long ts = T0_MICROS + seq * 1_000_000L;
      points.add(
          new TelemetryPoint(
              seq % 5 == 0 ? "plant-bj" : "plant-sh",
              "stamping",
              "line-" + (seq % 2),
              "press-" + (seq % 3),
              seq % 4 == 3 ? "state" : "power_kw",
              ts,
              ts + 2_500L,
              value,
              quality,
              status,
              seq % 4 == 3 ? "" : "kW",
              collector,
              "opcua-1",
              seq));
    }
    return points;
  }

  private static List<List<Object>> rowsAsLists(Path dataDir) {
    List<List<Object>> rows = new ArrayList<>();
    for (Record r : LakeReads.rows(dataDir, IronlakeTables.TELEMETRY.identifier())) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.get(i));
      }
      rows.add(values);
    }
    return rows;
  }

  private static List<Object> expectedRow(TelemetryPoint p) {
    Object[] values = new Object[17];
    values[0] = p.site();
    values[1] = p.area();
    values[2] = p.line();
    values[3] = p.device();
    values[4] = p.tag();
    values[5] = time(p.tsMicros());
    values[6] = time(p.ingestTsMicros());
    if (p.value() instanceof PointValue.DoubleValue d) {
      values[7] = d.value();
    } else if (p.value() instanceof PointValue.LongValue l) {
      values[8] = l.value();
    } else if (p.value() instanceof PointValue.BooleanValue b) {
      values[9] = b.value();
    } else if (p.value() instanceof PointValue.StringValue s) {
      values[10] = s.value();
    }
    values[11] = p.quality().name();
    values[12] = p.statusCode();
    values[13] = p.unit();
    values[14] = p.collectorId();
    values[15] = p.source();
    values[16] = p.seq();
    return Arrays.asList(values);
  }

  private static OffsetDateTime time(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
