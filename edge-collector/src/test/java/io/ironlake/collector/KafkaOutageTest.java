package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.spool.SpoolStats;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka stopped for a while mid-stream and started again at the same address: the collector keeps
 * reading (OPC UA and MQTT) into its spool, then replays the backlog in order. Every emitted point
 * reaches telemetry.v1 exactly once, with no identity twice.
 */
@Tag("slow")
class KafkaOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void kafkaStoppedMidStreamLosesNothingAndDoublesNothing() throws Exception {
    int port = Plants.freePort();
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), port);
    kafka.createTopic(Topics.TELEMETRY, 3);
    kafka.createTopic(Topics.DEADLETTER, 1);
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(10)
                .duration(Duration.ofSeconds(150))
                .emitOnStart(false)
                .dataDir(dir.resolve("sim"))
                .build())) {
      CollectorConfig config =
          Plants.collectorConfig(
              "edge-outage",
              factory,
              KafkaConfig.of(kafka.bootstrapServers()),
              dir.resolve("state"));
      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC())) {
        await().atMost(WAIT).until(collector::ready);
        factory.startEmitting();
        await().atMost(WAIT).until(() -> collector.stats().pointsSent() >= 300);

        kafka.close(); // Mid-stream: the sources keep going, the spool grows.
        await()
            .atMost(WAIT)
            .until(() -> collector.spoolStats().points() >= 1000 && collector.ready());
        long sentWhileDown = collector.stats().pointsSent();
        SpoolStats backlog = collector.spoolStats();
        assertThat(backlog.bytes()).isPositive();

        kafka = EmbeddedKafka.start(dir.resolve("kafka"), port);
        assertThat(factory.awaitFinished(WAIT)).isTrue();
        long total = factory.emissions().total();
        assertThat(collector.flush(WAIT)).as("the backlog drains").isTrue();

        try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), Topics.TELEMETRY)) {
          try {
            // Distinct identities, not records: when Kafka went away with sends whose outcome was
            // unknown, the spool sends them again, and those copies on the topic made a count of
            // records reach the total before every partition was read (the loss this test once
            // reported under load: the reader had stopped early, the points were on the topic).
            await()
                .atMost(WAIT)
                .until(
                    () ->
                        new Deliveries(telemetry.poll()).distinct() >= total && telemetry.atEnd());
          } catch (org.awaitility.core.ConditionTimeoutException e) {
            Deliveries partial = new Deliveries(telemetry.records());
            throw new AssertionError(
                "only "
                    + telemetry.records().size()
                    + " of "
                    + total
                    + " points on the topic; by device and tag "
                    + Deliveries.countsOf(partial.deduplicated())
                    + " instead of "
                    + factory.emissions().counts()
                    + "; collector "
                    + collector.stats()
                    + ", "
                    + collector.spoolStats(),
                e);
          }
          telemetry.poll();
          Deliveries d = new Deliveries(telemetry.records());
          try {
            d.assertExactlyTheEmittedPoints(factory.emissions());
          } catch (AssertionError e) {
            throw new AssertionError(
                "seq on the topic per source "
                    + d.seqSummary()
                    + "; collector "
                    + collector.stats()
                    + ", "
                    + collector.spoolStats()
                    + "; records "
                    + telemetry.records().size()
                    + ", distinct "
                    + d.distinct()
                    + ", emitted "
                    + total
                    + ": "
                    + e.getMessage(),
                e);
          }
          // Copies of an identity are allowed and must be exact (checked above): a send whose
          // outcome Kafka never reported (it went away mid-request) is sent again from the spool,
          // which the downstream dedup on (collector_id, source, seq) removes. Without an outage
          // the idempotent producer makes none; with one, how many depends on what was in flight.
          assertThat(d.distinct()).as("each emitted point under one identity").isEqualTo(total);
          d.assertInSeqOrderPerPartition();
        }
        CollectorStats stats = collector.stats();
        assertThat(stats.pointsRead()).isEqualTo(total);
        assertThat(stats.pointsSent()).isEqualTo(total).isGreaterThan(sentWhileDown);
        SpoolStats after = collector.spoolStats();
        assertThat(after.points()).isZero();
        assertThat(after.bytes()).isZero();
        assertThat(after.pointsDropped()).isZero();
      }
    }
  }
}
