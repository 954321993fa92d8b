package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ironlake jobs submit NAME --flink URL} against a Flink cluster with its REST endpoint and
 * jar submission (a MiniCluster in this JVM, flink-runtime-web on the class path): the built job
 * jar ({@code stream-jobs/target/ironlake-jobs-VERSION.jar}) is uploaded and run, and the points on
 * Kafka land in {@code ironlake.telemetry}. Refusals (no cluster there, an unknown job, a savepoint
 * that does not exist) exit non-zero with a message saying why.
 */
class JobsSubmitIT {
  private static final Pattern JOB_ID = Pattern.compile("as Flink job ([0-9a-f]{32})");

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static MiniCluster flink;
  static URI rest;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    kafka.createTopic(Topics.TELEMETRY, 1);
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(WebOptions.SUBMIT_ENABLE, true);
    conf.set(WebOptions.UPLOAD_DIR, dir.resolve("flink-uploads").toString());
    // This JVM's class path already holds everything the job jar carries (Kafka connector and
    // client, Iceberg, SQLite): child-first would mix copies from both (a LinkageError between the
    // connector here and kafka-clients in the jar). A real cluster has none of them in lib/, so
    // there the jar's own copies are used; here the upload, the run and the entry class are real.
    conf.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    conf.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    flink =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
    flink.start();
    rest = flink.getRestAddress().get();
  }

  @AfterAll
  static void stop() throws Exception {
    if (flink != null) {
      flink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void submitsTheIngestJobAndItsRowsLandInTheLake() throws Exception {
    produce(300);
    Path lake = dir.resolve("lake");
    Result r =
        execute(
            "jobs",
            "submit",
            "ingest",
            "--flink",
            rest.toString(),
            "--kafka",
            kafka.bootstrapServers(),
            "--data-dir",
            lake.toString(),
            "--checkpoint-interval",
            "1s",
            "--parallelism",
            "1");
    assertThat(r.code).as(r.out + r.err).isZero();
    assertThat(r.out).contains("Submitted [ingest] as Flink job").contains("(RUNNING)");
    Matcher m = JOB_ID.matcher(r.out);
    assertThat(m.find()).isTrue();
    assertThat(r.out).contains("/jobs/" + m.group(1));

    try (LakehouseCatalog catalog = LakehouseCatalog.open(lake)) {
      TableStats stats = new TableStats(catalog.catalog());
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> stats.totalRecords(IronlakeTables.TELEMETRY.identifier()) >= 300);
      assertThat(stats.totalRecords(IronlakeTables.TELEMETRY.identifier())).isEqualTo(300);
    } finally {
      flink.cancelJob(JobID.fromHexString(m.group(1))).get();
    }
  }

  @Test
  void anUnreachableClusterIsExplained() {
    Result r =
        execute(
            "jobs",
            "submit",
            "ingest",
            "--flink",
            "http://127.0.0.1:1",
            "--kafka",
            "127.0.0.1:9092",
            "--data-dir",
            dir.resolve("lake-x").toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err)
        .contains("Cannot reach the Flink cluster at http://127.0.0.1:1/")
        .contains("connection refused");
  }

  @Test
  void anUnknownJobIsRefusedBeforeUploading() {
    Result r =
        execute(
            "jobs",
            "submit",
            "ingest,nope",
            "--flink",
            rest.toString(),
            "--kafka",
            kafka.bootstrapServers());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("Invalid job name nope: expected one of");
  }

  @Test
  void aJobTheClusterRefusesGivesItsReason() {
    Result r =
        execute(
            "jobs",
            "submit",
            "ingest",
            "--flink",
            rest.toString(),
            "--kafka",
            kafka.bootstrapServers(),
            "--data-dir",
            dir.resolve("lake-sp").toString(),
            "--savepoint",
            dir.resolve("no-such-savepoint").toString());
    assertThat(r.code).as(r.out).isEqualTo(1);
    assertThat(r.err).contains("Cannot ").contains("no-such-savepoint");
  }

  private static void produce(int count) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int seq = 0; seq < count; seq++) {
        long ts = 1_770_000_000_000_000L + seq * 1_000_000L;
        TelemetryPoint p =
            new TelemetryPoint(
                "plant-sh",
                "assembly",
                "line-1",
                "m01",
                "power_kw",
                ts,
                ts,
                PointValue.of(10.0 + seq),
                Quality.GOOD,
                0,
                "kW",
                "edge-test",
                "test",
                seq);
        producer.send(
            new ProducerRecord<>(Topics.TELEMETRY, p.devicePath(), TelemetryCodec.encode(p)));
      }
      producer.flush();
    }
  }

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = IronlakeMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
