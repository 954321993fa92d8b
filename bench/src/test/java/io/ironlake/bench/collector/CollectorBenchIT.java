package io.ironlake.bench.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ironlake.collector.config.KafkaConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark drivers run end to end on a tiny load: every phase counts exactly what was sent
 * (the drivers themselves refuse a run where the collector lost, doubled or dead-lettered points).
 * No assertion on speed: that is what the drivers measure.
 */
@Tag("slow")
class CollectorBenchIT {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  /** A run that fails while Kafka is stopped (mid-replay) still closes its broker cleanly. */
  @Test
  void aStoppedBrokerClosesCleanlyInEitherPlace(@TempDir Path dir) throws Exception {
    BenchKafka inJvm = BenchKafka.start(dir.resolve("in"), 1);
    inJvm.stop();
    assertThatCode(inJvm::close).doesNotThrowAnyException();

    BenchKafka ownJvm = BenchKafka.startJvm(dir.resolve("own"), 1, "-Xmx256m");
    ownJvm.stop();
    long cpu = ownJvm.cpuNanos();
    assertThat(cpu).isPositive(); // the stopped JVM's CPU time is kept
    assertThatCode(ownJvm::close).doesNotThrowAnyException();
    assertThat(ownJvm.cpuNanos()).isEqualTo(cpu);
  }

  @Test
  void mqttBenchmarkCountsEveryPointInEveryPhase() throws Exception {
    MqttCollectorBench.Options o = new MqttCollectorBench.Options(1, 0, 300, 10, true);

    Rounds r = MqttCollectorBench.run(o, QUIET);

    for (String phase : List.of("A", "B", "c", "in", "r")) {
      assertThat(r.of(phase))
          .as(phase)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.points()).isEqualTo(300 * 7);
                assertThat(m.pointsPerSecond()).isPositive();
              });
    }
    assertThat(r.of("r+l"))
        .singleElement()
        .satisfies(m -> assertThat(m.points()).isEqualTo(2 * 300 * 7));
  }

  @Test
  void opcUaBenchmarkWithKafkaInItsOwnJvmDeliversEveryEmittedValueAndMeasuresTheReplay()
      throws Exception {
    OpcUaCollectorBench.Options o =
        new OpcUaCollectorBench.Options(
            1,
            0,
            1,
            2,
            100,
            1,
            1,
            2,
            false,
            "",
            "",
            true,
            false,
            true,
            "-Xmx512m",
            KafkaConfig.LINGER_MS_DEFAULT,
            Map.of(),
            false,
            "");

    List<OpcUaCollectorBench.Round> rounds = OpcUaCollectorBench.run(o, QUIET);

    assertThat(rounds)
        .singleElement()
        .satisfies(
            round -> {
              assertThat(round.a().emitted()).isEqualTo(4 * 10 * 14); // 4 s at 10 ticks/s, 14 items
              // A bare Milo client may see a republished notification message twice on a loaded
              // machine.
              assertThat(round.a().delivered()).isGreaterThanOrEqualTo(round.a().emitted());
              assertThat(round.c().delivered()).isEqualTo(round.c().emitted());
              assertThat(round.b().points()).isEqualTo(14 * 10 * 2); // offered values in the window
              assertThat(round.c().latency().count()).isPositive();
              // Replay: read into the spool with Kafka stopped, then every emitted value in Kafka.
              OpcUaReplay.ReplayRun replay = round.replay();
              assertThat(replay.in().points()).isPositive();
              assertThat(replay.backlog()).isGreaterThanOrEqualTo(3 * 10 * 14); // 3 s in the spool
              // r and r+l count from the clock's start, once Kafka is back; what Kafka took
              // before that is in neither, so both leave out the same points.
              assertThat(replay.r().points()).isBetween(0L, replay.backlog());
              assertThat(replay.emitted()).isGreaterThanOrEqualTo(2 * replay.backlog());
              assertThat(replay.rl().points() - replay.r().points())
                  .isEqualTo(replay.emitted() - replay.backlog());
              assertThat(replay.kafka().complete(replay.emitted())).isTrue();
              // The broker's JVM, stopped and started again for the replay, counts in the CPU of
              // the replay (seconds of a freshly started JVM, so well above the clock tick).
              assertThat(replay.rl().cpuByPart()).containsKey("Kafka broker JVM (all of it)");
            });
  }

  @Test
  void opcUaBenchmarkWithTheCollectorAndTheReferenceForwarderInTheirOwnJvmsDeliversEveryValue()
      throws Exception {
    Path jar;
    try (var files = Files.list(Path.of("..", "edge-collector", "target"))) {
      jar =
          files
              .filter(f -> f.getFileName().toString().matches("ironlake-collector-.*\\.jar"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the collector jar, built by mvn package"));
    }
    OpcUaCollectorBench.Options o =
        new OpcUaCollectorBench.Options(
            1,
            0,
            1,
            2,
            100,
            1,
            1,
            2,
            true,
            "-Xmx256m",
            jar.toString(),
            false,
            true,
            false,
            "",
            2,
            // Written into the collector's YAML: a file it could not load would stop the run.
            Map.of("max.in.flight.requests.per.connection", "2"),
            true,
            "");

    List<OpcUaCollectorBench.Round> rounds = OpcUaCollectorBench.run(o, QUIET);

    assertThat(rounds)
        .singleElement()
        .satisfies(
            round -> {
              assertThat(round.a()).as("latencyOnly: no ceiling phases").isNull();
              assertThat(round.c().delivered()).isEqualTo(round.c().emitted());
              assertThat(round.c().window().cpuByPart()).containsKey("collector JVM (all of it)");
              assertThat(round.c().latency().count()).isPositive();
              // The latency reference: every value, measured as c's.
              assertThat(round.f().delivered()).isEqualTo(round.f().emitted());
              assertThat(round.f().window().cpuByPart()).containsKey("forwarder JVM (all of it)");
              assertThat(round.f().latency().count()).isPositive();
            });
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    OpcUaCollectorBench.report(rounds, o, new PrintStream(report, true, StandardCharsets.UTF_8));
    assertThat(report.toString(StandardCharsets.UTF_8))
        .contains("| c | Milo server → collector → Kafka |")
        .contains("collector added latency (ingest_ts → broker append time): p50 median")
        .contains("| f | Milo server → reference forwarder → Kafka (latency reference) |")
        .contains("c's p99 minus f's, per round")
        .doesNotContain("c/C");
  }
}
