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
