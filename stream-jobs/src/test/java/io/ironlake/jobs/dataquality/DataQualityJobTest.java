package io.ironlake.jobs.dataquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.GatedPoints;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.LakeReads;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.rules.IndicatorDefaults;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The data-quality and completeness operators on crafted points, on one shared MiniCluster. */
class DataQualityJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final long T0 =
      Instant.parse("2025-03-04T06:00:00Z").getEpochSecond() * 1_000_000L;
  private static final long HOUR = 3_600_000_000L;

  /**
   * m01/temperature_c every 10 s (expected 360 an hour) from 06:00, missing 06:10:00-06:14:50 (30
   * samples, seqs 60-89 of edge-1/opcua): 330 points; then 3 points after 07:00 with seqs 365-367
   * (360-364 lost between the hours). edge-1/mqtt: seqs 0-9 complete, another device.
   */
  private static List<TelemetryPoint> points() {
    List<TelemetryPoint> points = new ArrayList<>();
    for (int k = 0; k < 360; k++) {
      if (k >= 60 && k < 90) {
        continue;
      }
      points.add(point("m01", "opcua", k * 10L, 20.0 + k % 7, k));
    }
    for (int i = 0; i < 10; i++) {
      points.add(point("m02", "mqtt", i * 5L, i, i));
    }
    for (int k = 360; k < 363; k++) {
      points.add(point("m01", "opcua", k * 10L, 20.0 + k % 7, k + 5));
    }
    points.sort(Comparator.comparingLong(TelemetryPoint::tsMicros));
    return points;
  }

  private static TelemetryPoint point(
      String device, String source, long second, double value, long seq) {
    long ts = T0 + second * 1_000_000L;
    return new TelemetryPoint(
        "plant-sh",
        "assembly",
        "line-1",
        device,
        "temperature_c",
        ts,
        ts + 1_000_000L,
        PointValue.of(value),
        Quality.GOOD,
        0L,
        "C",
        "edge-1",
        source,
        seq);
  }

  private static JobsConfig config(Path dataDir) {
    return JobsConfig.builder()
        .kafkaBootstrapServers("127.0.0.1:9")
        .indicatorTopics(io.ironlake.jobs.IndicatorTopics.OFF) // no Kafka in this test
        .dataDir(dataDir)
        .ruleCatalog(
            IndicatorDefaults.builder()
                .dataQuality(DataQualityParams.DEFAULTS.withExpectedPeriod(Duration.ofSeconds(10)))
                .build())
        .build();
  }

  @Test
  void hourlyQualityOfADeviceWithAKnownGapAndTheSeqLedger(@TempDir Path dataDir) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    var stream = TestPoints.stream(env, points(), 5_000);
    CloseableIterator<DataQualityRow> dqIt =
        DataQualityJob.dataQualityRows(stream, config(dataDir).ruleCatalog()).collectAsync();
    CloseableIterator<CompletenessRow> ledgerIt =
        DataQualityJob.completenessRows(stream).collectAsync();
    env.execute("data-quality-test");
    List<DataQualityRow> dq = GatedPoints.drain(dqIt);
    List<CompletenessRow> ledger = GatedPoints.drain(ledgerIt);

    dq.sort(
        Comparator.comparing(DataQualityRow::device)
            .thenComparingLong(DataQualityRow::windowStartMicros));
    assertThat(dq)
        .extracting(r -> r.device() + " " + r.windowStartMicros() + " " + r.points())
        .containsExactly("m01 " + T0 + " 330", "m01 " + (T0 + HOUR) + " 3", "m02 " + T0 + " 10");
    DataQualityRow first = dq.get(0);
    assertThat(first.expected()).isEqualTo(360);
    assertThat(first.completeness()).isCloseTo(330.0 / 360, within(1e-12));
    assertThat(first.gaps()).isEqualTo(1);
    assertThat(first.longestGapSeconds()).isEqualTo(310.0); // 06:09:50 -> 06:15:00
    assertThat(first.latencyP99Ms()).isEqualTo(1000.0);
    assertThat(first.duplicates()).isZero();
    assertThat(first.frozen()).isFalse();
    // 100 x (0.30 x 330/360 + 0.15 + 0.20 + 0.15 + 0.10 + 0.10)
    assertThat(first.score()).isCloseTo(97.5, within(1e-9));
    // 100 x (0.30 x 3/360 + 0.70)
    assertThat(dq.get(1).score()).isCloseTo(70.25, within(1e-9));

    ledger.sort(
        Comparator.comparing(CompletenessRow::source)
            .thenComparingLong(CompletenessRow::windowStartMicros));
    assertThat(ledger)
        .extracting(
            r ->
                r.source()
                    + " "
                    + r.minSeq()
                    + ".."
                    + r.maxSeq()
                    + " received "
                    + r.received()
                    + " missing "
                    + r.missing()
                    + " ["
                    + r.missingRanges()
                    + "]")
        .containsExactly(
            "mqtt 0..9 received 10 missing 0 []",
            "opcua 0..359 received 330 missing 30 [60-89]",
            "opcua 365..367 received 3 missing 5 [360-364]");
  }

  @Test
  void rowsLandInTheLakehouseTables(@TempDir Path dataDir) throws Exception {
    JobsConfig config = config(dataDir);
    try (LakehouseCatalog lake = LakehouseCatalog.open(config.catalogProperties())) {
      lake.createMissingTables();
      // data_quality as an older build created it, without rules_version: evolved at job start.
      org.apache.iceberg.Schema old =
          new org.apache.iceberg.Schema(
              IronlakeTables.DATA_QUALITY.schema().columns().stream()
                  .filter(c -> !c.name().equals("rules_version"))
                  .toList());
      lake.catalog().dropTable(IronlakeTables.DATA_QUALITY.identifier(), true);
      lake.catalog().createTable(IronlakeTables.DATA_QUALITY.identifier(), old);
      lake.createMissingTables();
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(200);
    DataQualityJob.addTo(
        TestPoints.stream(env, points(), 5_000),
        config,
        null,
        LiveRules.fixed(env, config.ruleCatalog()));
    env.execute("data-quality-sink-test");

    List<Record> dq = LakeReads.rows(dataDir, IronlakeTables.DATA_QUALITY.identifier());
    assertThat(dq).hasSize(3);
    Record first =
        dq.stream()
            .filter(r -> r.getField("device").equals("m01"))
            .min(Comparator.comparing(r -> (OffsetDateTime) r.getField("window_start")))
            .orElseThrow();
    assertThat(first.getField("window_start"))
        .isEqualTo(
            OffsetDateTime.parse("2025-03-04T06:00:00Z").withOffsetSameInstant(ZoneOffset.UTC));
    assertThat(first.getField("points")).isEqualTo(330L);
    assertThat((Double) first.getField("score")).isCloseTo(97.5, within(1e-9));
    assertThat(dq).extracting(r -> r.getField("rules_version")).containsOnly(0L);
    List<Record> ledger = LakeReads.rows(dataDir, IronlakeTables.COMPLETENESS.identifier());
    assertThat(ledger)
        .extracting(r -> r.getField("missing_ranges"))
        .containsExactlyInAnyOrder("", "60-89", "360-364");
  }
}
