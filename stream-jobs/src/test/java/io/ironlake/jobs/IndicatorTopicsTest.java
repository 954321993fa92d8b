package io.ironlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.TopicReads.KeyedJson;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indicator topics carry exactly the rows of their tables: after a bounded run of the energy,
 * quality and data-quality jobs, a {@code read_committed} consumer of each topic sees every row of
 * the matching Iceberg table once, with the same values, as JSON with the table's columns, keyed by
 * the row's ISA-95 path.
 */
class IndicatorTopicsTest {
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final String TOPIC = "telemetry.indicator-topics";
  private static final Instant START = Instant.parse("2025-03-04T13:40:00Z");
  private static final int TICKS = 240; // every 10 s: 13:40 to 14:20, across the 14:00 shift end

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
    kafka.createTopic(TOPIC, 2);
    produce();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void eachTopicHoldsItsTablesRowsOnceKeyedByPath(@TempDir Path dataDir) {
    IndicatorTopics topics = IndicatorTopics.DEFAULTS.withSuffix(".itest");
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .groupId("indicator-topics-test")
            .checkpointInterval(Duration.ofMillis(500))
            .indicatorTopics(topics)
            .bounded(true)
            .build();
    try (LocalJobRunner jobs =
        LocalJobRunner.start(
            config, Set.of(IronlakeJobs.ENERGY, IronlakeJobs.QUALITY, IronlakeJobs.DATA_QUALITY))) {
      await("the bounded run finished")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> jobs.status().isGloballyTerminalState());
      assertThat(jobs.status()).isEqualTo(JobStatus.FINISHED);
    }

    List<TableSpec> tables =
        List.of(
            IronlakeTables.ENERGY,
            IronlakeTables.ENERGY_SHIFT,
            IronlakeTables.ENERGY_DEMAND,
            IronlakeTables.ENERGY_PEAK,
            IronlakeTables.SPC,
            IronlakeTables.OEE,
            IronlakeTables.DATA_QUALITY);
    assertThat(topics.byTable().keySet())
        .containsExactlyInAnyOrderElementsOf(tables.stream().map(TableSpec::name).toList());
    for (TableSpec table : tables) {
      String topic = topics.topicFor(table).orElseThrow();
      assertThat(topic).isEqualTo(IndicatorTopics.DEFAULTS.byTable().get(table.name()) + ".itest");
      List<String> want = TopicReads.tableRows(dataDir, table);
      List<KeyedJson> records = TopicReads.readCommitted(kafka.bootstrapServers(), topic);

      assertThat(want).as("rows of %s", table.name()).isNotEmpty();
      assertThat(TopicReads.jsonRows(records, table))
          .as("%s rows vs ironlake.%s", topic, table.name())
          .isEqualTo(want);
      List<String> columns =
          table.schema().columns().stream().map(Types.NestedField::name).toList();
      for (KeyedJson r : records) {
        assertThat(fieldNames(r.value())).as("members of a %s record", topic).isEqualTo(columns);
        assertThat(r.key()).as("key of %s", r.value()).isEqualTo(TopicReads.path(r.value()));
      }
    }
    // Line rows are keyed by the line path, device rows by the device path.
    List<KeyedJson> oee =
        TopicReads.readCommitted(
            kafka.bootstrapServers(), topics.topicFor(IronlakeTables.OEE).get());
    assertThat(oee)
        .extracting(KeyedJson::key)
        .contains("plant-it/assembly/line-1", "plant-it/assembly/line-1/m01");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * Two lines of two machines on two partitions, every 10 s: an energy meter, power, a diameter
   * (SPC), state and part counters (OEE), a few idle ticks.
   */
  private static void produce() {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long seq = 0;
      double[] energy = new double[4];
      long[] good = new long[4];
      long[] total = new long[4];
      for (int tick = 0; tick < TICKS; tick++) {
        long ts = (START.getEpochSecond() + tick * 10L) * 1_000_000L;
        for (int m = 0; m < 4; m++) {
          String line = "line-" + (m / 2 + 1);
          String device = "m0" + (m % 2 + 1);
          boolean idle = tick % 20 >= 17;
          energy[m] += idle ? 0.01 : 0.1 + (tick * 7 + m) % 10 / 100.0;
          if (!idle) {
            total[m]++;
            good[m] += (tick + m) % 13 == 0 ? 0 : 1;
          }
          List<TelemetryPoint> sample =
              List.of(
                  point(line, device, "energy_kwh", ts, PointValue.of(energy[m])),
                  point(line, device, "power_kw", ts, PointValue.of(30.0 + (tick + m) % 9)),
                  point(
                      line,
                      device,
                      "diameter_mm",
                      ts,
                      PointValue.of(12.0 + ((tick * 31 + m) % 7 - 3) / 1000.0)),
                  point(line, device, "state", ts, PointValue.of(idle ? "IDLE" : "RUNNING")),
                  point(line, device, "good_count", ts, PointValue.of(good[m])),
                  point(line, device, "total_count", ts, PointValue.of(total[m])));
          for (TelemetryPoint p : sample) {
            producer.send(
                new ProducerRecord<>(
                    TOPIC,
                    p.devicePath().getBytes(StandardCharsets.UTF_8),
                    TelemetryCodec.encode(p.withSeq(++seq))));
          }
        }
      }
      producer.flush();
    }
  }

  private static TelemetryPoint point(
      String line, String device, String tag, long ts, PointValue value) {
    return new TelemetryPoint(
        "plant-it",
        "assembly",
        line,
        device,
        tag,
        ts,
        ts + 20_000L,
        value,
        Quality.GOOD,
        0L,
        "",
        "edge-it",
        "opcua-1",
        0L);
  }
}
