package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfigLoader;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedPoint;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of the mapping while the simulator emits: the collector, started from a YAML file it
 * watches, refuses an invalid edit (keeping its config), then applies a new mapping with more OPC
 * UA nodes without a restart. Every point of the tags mapped before arrives exactly once, the new
 * tags appear, no point is doubled and the source's seq numbering continues without a gap.
 */
class CollectorReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SOURCE = "opcua-plant";

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
  void newMappingIsAppliedWhileEmittingWithoutLosingOrDoublingPoints() throws Exception {
    kafka.createTopic("telemetry-reload", 2);
    kafka.createTopic("deadletter-reload", 1);
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(0)
                .machinesPerLine(2)
                .speed(10)
                .duration(Duration.ofSeconds(15))
                .emitOnStart(false)
                .dataDir(dir.resolve("sim"))
                .build())) {
      List<SimMachine> machines = factory.plant().machines(Channel.OPCUA);
      String m02 = machines.get(1).devicePath();
      Set<String> added = Set.of("power_kw", "temperature_c");
      // Before: every tag of m01, m02 without power_kw and temperature_c. After: everything.
      BiPredicate<SimMachine, SimTag> before =
          (m, t) -> !(m.devicePath().equals(m02) && added.contains(t.name()));
      Path file = dir.resolve("collector.yaml");
      Files.writeString(file, yaml(factory, before, 5));

      try (EdgeCollector collector =
              EdgeCollector.start(CollectorConfigLoader.load(file), Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-reload")) {
        collector.watch(file, Duration.ofMillis(100));
        await().atMost(WAIT).until(collector::ready);
        factory.startEmitting();
        await().atMost(WAIT).until(() -> telemetry.poll().size() > 100);

        // An invalid edit is refused: the running config stays.
        replace(
            file,
            yaml(factory, (m, t) -> true, 5)
                .replace("security-policy: None", "security-policy: Basic256"));
        await().atMost(WAIT).until(() -> collector.reloadsRefused() == 1);
        assertThat(nodes(collector)).isEqualTo(nodeCount(factory, before));
        assertThat(collector.reloadsApplied()).isZero();
        assertThat(collector.ready()).isTrue();

        // The new mapping, with a Kafka change that needs a restart (not applied).
        replace(file, yaml(factory, (m, t) -> true, 50));
        await().atMost(WAIT).until(() -> collector.reloadsApplied() == 1);
        assertThat(nodes(collector)).isEqualTo(nodeCount(factory, (m, t) -> true));
        assertThat(collector.config().kafka().lingerMs()).isEqualTo(5);
        await().atMost(WAIT).until(collector::ready);

        assertThat(factory.awaitFinished(WAIT)).isTrue();
        Map<String, Map<String, Long>> emitted = factory.emissions().counts();
        long expectedOld =
            emitted.entrySet().stream()
                .flatMap(
                    d ->
                        d.getValue().entrySet().stream()
                            .filter(t -> !(d.getKey().equals(m02) && added.contains(t.getKey())))
                            .map(Map.Entry::getValue))
                .mapToLong(Long::longValue)
                .sum();
        await()
            .atMost(WAIT)
            .until(
                () ->
                    telemetry.poll().stream()
                            .map(r -> TelemetryCodec.decode(r.value()))
                            .filter(p -> !(p.devicePath().equals(m02) && added.contains(p.tag())))
                            .count()
                        >= expectedOld);
        collector.flush();
        telemetry.poll();

        List<TelemetryPoint> points = new ArrayList<>();
        telemetry.records().forEach(r -> points.add(TelemetryCodec.decode(r.value())));

        // Tags mapped all along: exactly the simulator's counts.
        Map<String, Map<String, Long>> received = Deliveries.countsOf(points);
        Map<String, Map<String, Long>> expected = new TreeMap<>();
        emitted.forEach(
            (device, tags) ->
                tags.forEach(
                    (tag, n) -> {
                      if (!(device.equals(m02) && added.contains(tag))) {
                        expected.computeIfAbsent(device, d -> new TreeMap<>()).put(tag, n);
                      }
                    }));
        Map<String, Map<String, Long>> receivedOld = new TreeMap<>();
        received.forEach(
            (device, tags) ->
                tags.forEach(
                    (tag, n) -> {
                      if (!(device.equals(m02) && added.contains(tag))) {
                        receivedOld.computeIfAbsent(device, d -> new TreeMap<>()).put(tag, n);
                      }
                    }));
        assertThat(receivedOld).isEqualTo(expected);

        // The new tags appear, each point one the simulator emitted, with its value.
        Map<String, PointValue> emittedValues = new HashMap<>();
        for (EmittedPoint e : factory.emissions().points()) {
          emittedValues.put(Deliveries.content(e.devicePath(), e.tag(), e.tsMicros()), e.value());
        }
        for (String tag : added) {
          assertThat(received.get(m02)).containsKey(tag);
          assertThat(received.get(m02).get(tag)).isPositive();
        }
        for (TelemetryPoint p : points) {
          assertThat(p.value())
              .as("value of %s %s at %d", p.devicePath(), p.tag(), p.tsMicros())
              .isEqualTo(
                  emittedValues.get(Deliveries.content(p.devicePath(), p.tag(), p.tsMicros())));
        }

        // Nothing doubled: each point once, each identity once, seq 0..n-1 without a gap.
        Set<String> contents = new HashSet<>();
        Set<Long> seqs = new HashSet<>();
        for (TelemetryPoint p : points) {
          assertThat(contents.add(Deliveries.content(p.devicePath(), p.tag(), p.tsMicros())))
              .as("%s %s at %d once", p.devicePath(), p.tag(), p.tsMicros())
              .isTrue();
          assertThat(p.source()).isEqualTo(SOURCE);
          assertThat(seqs.add(p.seq())).as("seq %d once", p.seq()).isTrue();
        }
        assertThat(seqs)
            .containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, points.size()).boxed().toList());
      }
    }
  }

  private static int nodes(EdgeCollector collector) {
    return ((OpcUaSourceConfig) collector.config().sources().get(0)).nodes().size();
  }

  private static int nodeCount(SimulatedFactory factory, BiPredicate<SimMachine, SimTag> mapped) {
    int n = 0;
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        n += mapped.test(m, t) ? 1 : 0;
      }
    }
    return n;
  }

  /** Replaces the file in one step, as an editor or a config management tool does. */
  private static void replace(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String yaml(
      SimulatedFactory factory, BiPredicate<SimMachine, SimTag> mapped, int lingerMs) {
    StringBuilder y = new StringBuilder();
    y.append("collector:\n  id: edge-reload\n  state-dir: ./state\n")
        .append("kafka:\n  bootstrap-servers: ")
        .append(kafka.bootstrapServers())
        .append("\n  telemetry-topic: telemetry-reload\n  deadletter-topic: deadletter-reload\n")
        .append("  linger-ms: ")
        .append(lingerMs)
        .append("\nhttp:\n  port: 0\n")
        .append("sources:\n  - name: ")
        .append(SOURCE)
        .append("\n    type: opcua\n    endpoint: ")
        .append(factory.opcUaEndpoint())
        .append("\n    security-policy: None\n    namespace-uri: ")
        .append(factory.plant().namespaceUri())
        .append("\n    nodes:\n");
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        if (!mapped.test(m, t)) {
          continue;
        }
        y.append("      - node-id: \"")
            .append(t.nodeId())
            .append("\"\n        site: ")
            .append(m.site())
            .append("\n        area: ")
            .append(m.area())
            .append("\n        line: ")
            .append(m.line())
            .append("\n        device: ")
            .append(m.device())
            .append("\n        tag: ")
            .append(t.name())
            .append("\n        unit: \"")
            .append(t.unit())
            .append("\"\n");
      }
    }
    return y.toString();
  }
}
