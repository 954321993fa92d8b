package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ironlake jobs run} ingests what is on Kafka into the lake and stops with a savepoint. */
@Tag("slow")
class JobsCommandTest {
  @TempDir Path dataDir;

  @Test
  void runIngestsTheTopicThenAnotherRunResumesWithoutDoubling() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"))) {
      kafka.createTopic(Topics.TELEMETRY, 1);
      produce(kafka, 0, 300);

      String[] run = {
        "jobs",
        "run",
        "ingest",
        "--kafka",
        kafka.bootstrapServers(),
        "--data-dir",
        dataDir.toString(),
        "--duration",
        "15s",
        "--checkpoint-interval",
        "1s"
      };
      Result first = execute(run);
      assertThat(first.code).as(first.err).isZero();
      assertThat(first.out).contains("Running [ingest]").contains("Stopped. rows: telemetry 300");

      produce(kafka, 300, 450);
      Result second = execute(run);
      assertThat(second.code).as(second.err).isZero();
      assertThat(second.out).contains("restored from").contains("Stopped. rows: telemetry 450");
    }
  }

  @Test
  void submitRunsTheWorkedSqlExampleIntoTheLake() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"))) {
      kafka.createTopic(Topics.TELEMETRY, 1);
      // power_kw 10+seq at seq seconds; the example keeps only temperature_c, so add some.
      produce(kafka, 0, 10);
      produceTemperatures(kafka);

      Result submit =
          execute(
              "jobs",
              "submit",
              "--sql",
              "../stream-jobs/examples/temperature-max.sql",
              "--kafka",
              kafka.bootstrapServers(),
              "--data-dir",
              dataDir.toString(),
              "--duration",
              "20s",
              "--checkpoint-interval",
              "1s");
      assertThat(submit.code).as(submit.err).isZero();
      assertThat(submit.out).contains("Running SQL job temperature-max").contains("Stopped.");

      Result rows =
          execute(
              "sql",
              "--data-dir",
              dataDir.toString(),
              "SELECT device, max_temperature_c, readings FROM ironlake.temperature_max_1m");
      assertThat(rows.code).as(rows.err).isZero();
      assertThat(rows.out.lines().toList())
          .containsExactly("device,max_temperature_c,readings", "m01,47.0,2");
    }
  }

  @Test
  void submitRefusesAMissingScript() {
    Result r =
        execute(
            "jobs",
            "submit",
            "--sql",
            dataDir.resolve("nope.sql").toString(),
            "--kafka",
            "127.0.0.1:1",
            "--data-dir",
            dataDir.toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("Cannot read SQL script").contains("nope.sql");
  }

  @Test
  void listsTheBuiltInJobsAndRefusesAnUnknownOne() {
    Result list = execute("jobs", "list");
    assertThat(list.out.lines().toList()).contains("energy", "ingest");
    Result bad =
        execute("jobs", "run", "nope", "--kafka", "127.0.0.1:1", "--data-dir", dataDir.toString());
    assertThat(bad.code).isNotZero();
    assertThat(bad.err).contains("Invalid job name nope");
  }

  private static void produce(EmbeddedKafka kafka, int fromSeq, int toSeq) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int seq = fromSeq; seq < toSeq; seq++) {
        TelemetryPoint p =
            new TelemetryPoint(
                "plant-sh",
                "assembly",
                "line-1",
                "m01",
                "power_kw",
                1_770_000_000_000_000L + seq * 1_000_000L,
                1_770_000_000_000_000L + seq * 1_000_000L,
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

  /**
   * Two temperatures in the first minute after T, one three minutes later (moves the watermark).
   */
  private static void produceTemperatures(EmbeddedKafka kafka) {
    Map<String, Object> props =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    long t = 1_770_000_000_000_000L - (1_770_000_000_000_000L % 60_000_000L);
    double[][] readings = {{5, 45.0}, {25, 47.0}, {200, 40.0}};
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      int seq = 1000;
      for (double[] r : readings) {
        long ts = t + (long) (r[0] * 1_000_000L);
        TelemetryPoint p =
            new TelemetryPoint(
                "plant-sh",
                "assembly",
                "line-1",
                "m01",
                "temperature_c",
                ts,
                ts,
                PointValue.of(r[1]),
                Quality.GOOD,
                0,
                "°C",
                "edge-test",
                "test",
                seq++);
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
