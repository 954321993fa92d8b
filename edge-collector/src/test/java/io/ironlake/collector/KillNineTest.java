package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of the collector, run as its own JVM ({@code CollectorMain run --config FILE},
 * 256 MB heap) against a simulated MQTT line (QoS 1, persistent session) and a real Kafka broker,
 * then a restart over the same state folder. Every point the simulator emitted (the broker
 * acknowledged it) is on the telemetry topic, each under exactly one identity {@code (collector_id,
 * source, seq)}: MQTT redeliveries of spooled messages are not numbered again, and records sent
 * again from the spool are exact copies that dedup on the identity removes.
 *
 * <p>The mid-stream kill needs Mosquitto (skipped without it); the kill with a backlog in the spool
 * (Kafka down) runs on the simulator's embedded broker.
 */
@Tag("slow")
class KillNineTest {
  private static final Logger LOG = LoggerFactory.getLogger(KillNineTest.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern SPOOL_POINTS = Pattern.compile("spoolPoints=(\\d+)");
  private static final Pattern POINTS_READ =
      Pattern.compile("collector stats: .*pointsRead=(\\d+)");
  private static final Pattern SKIPPED = Pattern.compile("redeliveriesSkipped=(\\d+)");
  private static final Pattern UNSENT = Pattern.compile("spool opened: .*unsentPoints=(\\d+)");
  private static final Pattern REPLAYED =
      Pattern.compile("collector closed: .*pointsReplayed=(\\d+)");

  @TempDir static Path dir;
  static int kafkaPort;
  static EmbeddedKafka kafka;
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void startKafka() throws IOException {
    kafkaPort = Plants.freePort();
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  /** One MQTT line of three machines; {@code brokerUrl} null starts the embedded broker. */
  private static SimulatedFactory plant(String name, String brokerUrl, Duration duration) {
    SimulatorConfig.Builder b =
        SimulatorConfig.builder()
            .opcUaLines(0)
            .mqttLines(1)
            .machinesPerLine(3)
            .speed(20)
            .duration(duration)
            .emitOnStart(false)
            .dataDir(dir.resolve("sim-" + name));
    if (brokerUrl != null) {
      b.mqttBrokerUrl(brokerUrl);
    }
    return SimulatedFactory.start(b.build());
  }

  private static Path writeConfig(String name, SimulatedFactory factory) throws IOException {
    String units =
        Plants.units(factory).entrySet().stream()
            .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
            .collect(Collectors.joining(", ", "{", "}"));
    String yaml =
        String.join(
            "\n",
            "collector:",
            "  id: edge-k9-" + name,
            "  state-dir: " + dir.resolve("state-" + name),
            "kafka:",
            "  bootstrap-servers: 127.0.0.1:" + kafkaPort,
            "  telemetry-topic: telemetry-" + name,
            "  deadletter-topic: deadletter-" + name,
            "spool:",
            "  fsync: interval",
            "  fsync-interval-ms: 100",
            "http:",
            "  port: 0",
            "sources:",
            "  - name: mqtt-gw",
            "    type: mqtt",
            "    broker: " + factory.mqttBrokerUrl(),
            "    mqtt-version: \"3.1.1\"", // one scenario runs on the embedded Moquette
            "    client-id: ironlake-k9-" + name,
            "    qos: 1",
            "    clean-session: false",
            "    topics:",
            "      - pattern: \"" + Plants.TELEMETRY_PATTERN + "\"",
            "        units: " + units,
            "");
    Path file = dir.resolve("collector-" + name + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /** Starts {@code CollectorMain run} in its own JVM, output to {@code log}. */
  private Process launch(Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire's own JVM sees a one-jar class path; it passes the real one in this property.
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            classPath,
            CollectorMain.class.getName(),
            "run",
            "--config",
            config.toString(),
            "--stats-every-s",
            "1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static long last(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    long value = -1;
    while (m.find()) {
      value = Long.parseLong(m.group(1));
    }
    return value;
  }

  private static void awaitReady(Path log) {
    await().atMost(WAIT).until(() -> read(log).contains("mqtt source ready"));
  }

  private static void killNine(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no clean close
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private static void stopCleanly(Process p, Path log) throws Exception {
    p.destroy(); // SIGTERM: the shutdown hook closes the collector
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(read(log)).contains("edge collector closed");
  }

  /**
   * Polls until, after dedup on the identity, the topic holds {@code total} points; on timeout
   * fails with the end of the collector's log.
   */
  private static Deliveries awaitDistinct(TopicReader telemetry, long total, Path log)
      throws IOException {
    try {
      await().atMost(WAIT).until(() -> new Deliveries(telemetry.poll()).distinct() >= total);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      List<String> lines = read(log).lines().toList();
      throw new AssertionError(
          "only "
              + new Deliveries(telemetry.records()).distinct()
              + " of "
              + total
              + " points arrived; collector log ends with:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())),
          e);
    }
    telemetry.poll();
    return new Deliveries(telemetry.records());
  }

  @Test
  void killedMidStreamLosesNothingAcknowledgedAndNumbersNothingTwice() throws Exception {
    // Needs a broker that resends unacknowledged QoS 1 messages to a reconnecting session, as
    // MQTT 3.1.1 requires; the embedded Moquette 0.17 drops them (see MosquittoBroker).
    assertThat(MosquittoBroker.executable())
        .as("mosquitto is needed for this test: apt-get install mosquitto (.ci/run installs it)")
        .isPresent();
    kafka.createTopic("telemetry-a", 3);
    kafka.createTopic("deadletter-a", 1);
    try (MosquittoBroker mosquitto = MosquittoBroker.start(dir.resolve("mosquitto"));
        SimulatedFactory factory = plant("a", mosquitto.url(), Duration.ofSeconds(300));
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-a")) {
      Path config = writeConfig("a", factory);
      Path log1 = dir.resolve("a-run1.log");
      Process first = launch(config, log1);
      awaitReady(log1);
      factory.startEmitting();
      await().atMost(WAIT).until(() -> telemetry.poll().size() >= 1500);
      killNine(first); // Mid-stream: messages in flight, points in the spool and in the producer.

      Path log2 = dir.resolve("a-run2.log");
      Process second = launch(config, log2);
      assertThat(factory.awaitFinished(WAIT)).isTrue();
      long total = factory.emissions().total();
      Deliveries d = awaitDistinct(telemetry, total, log2);
      stopCleanly(second, log2);

      d.assertExactlyTheEmittedPoints(factory.emissions());
      assertThat(d.distinct()).isEqualTo(total);
      LOG.info(
          "kill -9 mid-stream: emitted={}, records={}, copiesOfAnIdentity={},"
              + " redeliveriesSkipped={}",
          total,
          telemetry.records().size(),
          d.copies(),
          last(SKIPPED, read(log2)));
    }
  }

  @Test
  void killedWithABacklogInTheSpoolReplaysItAfterTheRestart() throws Exception {
    kafka.createTopic("telemetry-b", 3);
    kafka.createTopic("deadletter-b", 1);
    // The simulator's embedded broker: nothing is in flight to the collector when it is killed.
    try (SimulatedFactory factory = plant("b", null, Duration.ofSeconds(150))) {
      Path config = writeConfig("b", factory);
      Path log1 = dir.resolve("b-run1.log");
      Process first = launch(config, log1);
      awaitReady(log1);
      factory.startEmitting();
      try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-b")) {
        await().atMost(WAIT).until(() -> telemetry.poll().size() >= 500);
      }
      kafka.close(); // Kafka down: the collector keeps acknowledging MQTT into its spool ...
      assertThat(factory.awaitFinished(WAIT)).isTrue();
      long total = factory.emissions().total();
      await().atMost(WAIT).until(() -> last(POINTS_READ, read(log1)) == total);
      assertThat(last(SPOOL_POINTS, read(log1))).isGreaterThanOrEqualTo(1000);
      killNine(first); // ... and dies with that backlog on disk.

      kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
      Path log2 = dir.resolve("b-run2.log");
      Process second = launch(config, log2);
      await().atMost(WAIT).until(() -> last(UNSENT, read(log2)) >= 0);
      long unsent = last(UNSENT, read(log2));
      assertThat(unsent).as("points the killed run left in the spool").isGreaterThanOrEqualTo(1000);

      try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-b")) {
        Deliveries d = awaitDistinct(telemetry, total, log2);
        stopCleanly(second, log2);
        d.assertExactlyTheEmittedPoints(factory.emissions());
        assertThat(d.distinct()).isEqualTo(total);
        assertThat(last(REPLAYED, read(log2))).isGreaterThanOrEqualTo(unsent);
        LOG.info(
            "kill -9 with a backlog: emitted={}, unsentAtRestart={}, records={},"
                + " copiesOfAnIdentity={}",
            total,
            unsent,
            telemetry.records().size(),
            d.copies());
      }
    }
  }
}
