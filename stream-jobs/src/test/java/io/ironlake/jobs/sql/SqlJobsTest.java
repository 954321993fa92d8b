package io.ironlake.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.LakeReads;
import io.ironlake.jobs.LocalJobRunner;
import io.ironlake.jobs.TelemetryProducer;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.sql.internal.SqlScript;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example of the README (examples/temperature-max.sql) runs and computes by hand. */
class SqlJobsTest {
  private static final String TOPIC = "sql-telemetry";
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

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

  @Test
  void theWorkedExampleComputesTheHottestReadingPerDeviceAndMinute(@TempDir Path dataDir)
      throws Exception {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .checkpointInterval(Duration.ofSeconds(1))
            .maxOutOfOrderness(Duration.ofSeconds(5))
            .build();
    String script = Files.readString(Path.of("examples/temperature-max.sql"));
    TestPoints at = new TestPoints("plant-sh", "assembly", T0);
    try (LocalJobRunner job = LocalJobRunner.startSql(config, "temperature-max", script);
        TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), TOPIC)) {
      // Minute 0: m01 40, 45, 42 (and a BAD 99 and a power reading, both left out); m02 30, 31.
      producer.send(at.at("line-1", "m01", "temperature_c", 0, PointValue.of(40.0)));
      producer.send(at.at("line-1", "m01", "temperature_c", 20, PointValue.of(45.0)));
      producer.send(at.at("line-1", "m01", "temperature_c", 30, PointValue.of(99.0), Quality.BAD));
      producer.send(at.at("line-1", "m01", "power_kw", 35, PointValue.of(500.0)));
      producer.send(at.at("line-1", "m01", "temperature_c", 40, PointValue.of(42.0)));
      producer.send(at.at("line-1", "m02", "temperature_c", 10, PointValue.of(30.0)));
      producer.send(at.at("line-1", "m02", "temperature_c", 50, PointValue.of(31L)));
      // Minute 1: m01 50, 48; m02 29.
      producer.send(at.at("line-1", "m01", "temperature_c", 65, PointValue.of(50.0)));
      producer.send(at.at("line-1", "m01", "temperature_c", 90, PointValue.of(48.0)));
      producer.send(at.at("line-1", "m02", "temperature_c", 70, PointValue.of(29.0)));
      // Minute 3: moves the watermark past minutes 0 and 1.
      producer.send(at.at("line-1", "m01", "temperature_c", 200, PointValue.of(41.0)));

      TableIdentifier table = TableIdentifier.of(LakehouseCatalog.NAMESPACE, "temperature_max_1m");
      await().atMost(Duration.ofMinutes(2)).until(() -> LakeReads.rows(dataDir, table).size() >= 4);
      Map<String, String> got = new TreeMap<>();
      for (Record r : LakeReads.rows(dataDir, table)) {
        LocalDateTime start = (LocalDateTime) r.getField("window_start");
        got.put(
            r.getField("device") + "@" + start.getMinute(),
            r.getField("max_temperature_c") + " x" + r.getField("readings"));
      }
      assertThat(got)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "m01@0", "45.0 x3",
                  "m01@1", "50.0 x2",
                  "m02@0", "31.0 x2",
                  "m02@1", "29.0 x1"));
    }
  }

  @Test
  void aScriptWithoutInsertOrWithBadSqlIsRefusedClearly(@TempDir Path dataDir) {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .build();
    assertThatThrownBy(
            () ->
                LocalJobRunner.startSql(
                    config, "nothing", "CREATE VIEW v AS SELECT * FROM telemetry;"))
        .hasMessageContaining("expected at least one INSERT INTO statement");
    assertThatThrownBy(
            () ->
                LocalJobRunner.startSql(
                    config, "bad", "INSERT INTO nowhere SELECT nope FROM telemetry"))
        .hasMessageContaining("Invalid SQL job: statement 1 failed");
  }

  @Test
  void splitsScriptsAtSemicolonsOutsideQuotesAndComments() {
    assertThat(
            SqlScript.split(
                "-- a comment; not a statement\n"
                    + "CREATE VIEW v AS SELECT 'a;b' AS x FROM telemetry;\n"
                    + "/* block; comment */ INSERT INTO t SELECT `odd;name` FROM v ;;"))
        .containsExactly(
            "CREATE VIEW v AS SELECT 'a;b' AS x FROM telemetry",
            "INSERT INTO t SELECT `odd;name` FROM v");
    assertThat(SqlScript.isInsert("  insert into t select 1")).isTrue();
    assertThat(SqlScript.isInsert("CREATE TABLE t (x INT)")).isFalse();
  }
}
