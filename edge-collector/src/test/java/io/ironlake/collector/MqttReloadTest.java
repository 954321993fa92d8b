package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfigLoader;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of an MQTT source's mapping while the simulated gateway keeps publishing QoS 1
 * messages to the embedded broker: the topic filter changes (a wider one, then the first again) and
 * the payload mapping changes (a unit added). Every published point reaches telemetry.v1 exactly
 * once with its value, nothing is dead-lettered, the new unit shows from the reload on, and the
 * source's seq numbering runs on without a gap or a repeat.
 */
@Tag("slow")
class MqttReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String SOURCE = "mqtt-gw";
  private static final String TOPIC = "telemetry-mqtt-reload";
  private static final String DEADLETTER = "deadletter-mqtt-reload";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void topicFilterAndPayloadMappingChangeWhileQos1MessagesArrive() throws Exception {
    kafka.createTopic(TOPIC, 2);
    kafka.createTopic(DEADLETTER, 1);
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(0)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(10)
                .duration(Duration.ofSeconds(200))
                .emitOnStart(false)
                .dataDir(dir.resolve("sim"))
                .build())) {
      String telemetryPattern = Plants.TELEMETRY_PATTERN;
      String widerPattern = "factory/{site}/{area}/{line}/{device}/+";
      Path file = dir.resolve("collector.yaml");
      Files.writeString(file, yaml(factory, telemetryPattern, "{power_kw: kW}"));

      try (EdgeCollector collector =
              EdgeCollector.start(CollectorConfigLoader.load(file), Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), TOPIC);
          TopicReader deadLetters = new TopicReader(kafka.bootstrapServers(), DEADLETTER)) {
        collector.watch(file, Duration.ofMillis(100));
        await().atMost(WAIT).until(collector::ready);
        factory.startEmitting();
        await().atMost(WAIT).until(() -> telemetry.poll().size() > 200);

        // A wider filter and one more unit: subscribe to the new filter, drop the old one.
        replace(file, yaml(factory, widerPattern, "{power_kw: kW, temperature_c: degC}"));
        await().atMost(WAIT).until(() -> collector.reloadsApplied() == 1);
        assertThat(pattern(collector)).isEqualTo(widerPattern);
        int atFirstReload = telemetry.poll().size();
        await().atMost(WAIT).until(() -> telemetry.poll().size() > atFirstReload + 300);

        // Back to the first filter, keeping the unit: the wider subscription must go, or every
        // message would arrive twice from then on.
        replace(file, yaml(factory, telemetryPattern, "{power_kw: kW, temperature_c: degC}"));
        await().atMost(WAIT).until(() -> collector.reloadsApplied() == 2);
        assertThat(pattern(collector)).isEqualTo(telemetryPattern);
        assertThat(collector.ready()).isTrue();

        assertThat(factory.awaitFinished(WAIT)).isTrue();
        long total = factory.emissions().total();
        await().atMost(WAIT).until(() -> telemetry.poll().size() >= total);
        collector.flush();
        telemetry.poll();
        deadLetters.poll();

        Deliveries d = new Deliveries(telemetry.records());
        d.assertExactlyTheEmittedPoints(factory.emissions());
        assertThat(d.copies()).as("no record twice").isZero();
        assertThat(telemetry.records()).as("each point once").hasSize((int) total);
        assertThat(deadLetters.records()).as("nothing dead-lettered").isEmpty();
        assertThat(collector.stats().pointsRead()).isEqualTo(total);

        List<TelemetryPoint> points = new ArrayList<>();
        telemetry.records().forEach(r -> points.add(TelemetryCodec.decode(r.value())));
        Set<Long> seqs = new HashSet<>();
        for (TelemetryPoint p : points) {
          assertThat(p.source()).isEqualTo(SOURCE);
          assertThat(seqs.add(p.seq())).as("seq %d once", p.seq()).isTrue();
        }
        assertThat(seqs)
            .containsExactlyInAnyOrderElementsOf(LongStream.range(0, total).boxed().toList());

        // The payload mapping changed with the first reload: temperatures had no unit before it
        // and "degC" after it, in seq order (numbering follows arrival).
        List<TelemetryPoint> temperatures =
            points.stream()
                .filter(p -> p.tag().equals("temperature_c"))
                .sorted((a, b) -> Long.compare(a.seq(), b.seq()))
                .toList();
        assertThat(temperatures.get(0).unit()).isEmpty();
        assertThat(temperatures.get(temperatures.size() - 1).unit()).isEqualTo("degC");
        int firstWithUnit = 0;
        while (temperatures.get(firstWithUnit).unit().isEmpty()) {
          firstWithUnit++;
        }
        assertThat(temperatures.subList(firstWithUnit, temperatures.size()))
            .allSatisfy(p -> assertThat(p.unit()).isEqualTo("degC"));
      }
    }
  }

  private static String pattern(EdgeCollector collector) {
    return ((MqttSourceConfig) collector.config().sources().get(0)).topics().get(0).pattern();
  }

  /** Replaces the file in one step, as an editor or a config management tool does. */
  private static void replace(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String yaml(SimulatedFactory factory, String pattern, String units) {
    return "collector:\n  id: edge-mqtt-reload\n  state-dir: ./state-mqtt-reload\n"
        + "kafka:\n  bootstrap-servers: "
        + kafka.bootstrapServers()
        + "\n  telemetry-topic: "
        + TOPIC
        + "\n  deadletter-topic: "
        + DEADLETTER
        + "\nhttp:\n  port: 0\n"
        + "sources:\n  - name: "
        + SOURCE
        + "\n    type: mqtt\n    broker: "
        + factory.mqttBrokerUrl()
        + "\n    mqtt-version: \"3.1.1\"\n    qos: 1\n    topics:\n"
        + "      - pattern: \""
        + pattern
        + "\"\n        format: json\n        units: "
        + units
        + "\n";
  }
}
