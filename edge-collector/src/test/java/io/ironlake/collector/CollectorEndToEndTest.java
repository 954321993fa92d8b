package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.config.SourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedPoint;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole edge path: a simulated factory (OPC UA server and MQTT gateway), the collector and a
 * real Kafka broker. Every value the simulator emitted is on telemetry.v1 exactly once with the
 * same value, and malformed MQTT payloads sent meanwhile are on deadletter.v1 with their reasons.
 */
@Tag("slow")
class CollectorEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

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
  void everyEmittedValueArrivesExactlyOnceAndBadPayloadsAreDeadLettered() throws Exception {
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(10)
                .duration(Duration.ofSeconds(20))
                .meterResetAt("line-1/m02", Duration.ofSeconds(10))
                .emitOnStart(false)
                .dataDir(dir.resolve("sim"))
                .build())) {
      kafka.createTopic(Topics.TELEMETRY, 3);
      kafka.createTopic(Topics.DEADLETTER, 1);
      CollectorConfig config =
          collectorConfig(factory, KafkaConfig.of(kafka.bootstrapServers()), dir.resolve("state"));

      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), Topics.TELEMETRY);
          TopicReader deadletters = new TopicReader(kafka.bootstrapServers(), Topics.DEADLETTER)) {
        await().atMost(WAIT).until(collector::ready);

        factory.startEmitting();
        List<String> badPayloads = publishMalformed(factory);
        assertThat(factory.awaitFinished(WAIT)).isTrue();

        long total = factory.emissions().total();
        assertThat(total).isGreaterThan(0);
        await()
            .atMost(WAIT)
            .until(
                () ->
                    telemetry.poll().size() >= total
                        && deadletters.poll().size() >= badPayloads.size());
        collector.flush();
        telemetry.poll();
        deadletters.poll();

        List<TelemetryPoint> points = new ArrayList<>();
        telemetry.records().forEach(r -> points.add(TelemetryCodec.decode(r.value())));

        // Nothing lost, nothing doubled: per device and tag, exactly the simulator's counts ...
        assertThat(countsOf(points)).isEqualTo(new TreeMap<>(factory.emissions().counts()));
        assertThat(points).hasSize((int) total);
        // ... each identity once ...
        Set<String> ids = new HashSet<>();
        for (TelemetryPoint p : points) {
          assertThat(ids.add(p.collectorId() + "/" + p.source() + "/" + p.seq()))
              .as("identity %s/%s/%s once", p.collectorId(), p.source(), p.seq())
              .isTrue();
        }
        // ... and the values the simulator emitted, at the times it emitted them.
        Map<String, PointValue> emitted = new HashMap<>();
        for (EmittedPoint e : factory.emissions().points()) {
          emitted.put(e.devicePath() + "|" + e.tag() + "|" + e.tsMicros(), e.value());
        }
        Map<String, PointValue> received = new HashMap<>();
        for (TelemetryPoint p : points) {
          received.put(p.devicePath() + "|" + p.tag() + "|" + p.tsMicros(), p.value());
        }
        assertThat(received).isEqualTo(emitted);
        assertThat(points).allSatisfy(p -> assertThat(p.quality()).isEqualTo(Quality.GOOD));
        assertThat(points).allSatisfy(p -> assertThat(p.collectorId()).isEqualTo("edge-e2e"));
        // Sequence numbers per source are 0..n-1 (no restart here, so no gaps either).
        Map<String, List<Long>> seqs = new HashMap<>();
        points.forEach(p -> seqs.computeIfAbsent(p.source(), s -> new ArrayList<>()).add(p.seq()));
        seqs.values()
            .forEach(
                list ->
                    assertThat(list.stream().sorted().toList())
                        .isEqualTo(
                            java.util.stream.LongStream.range(0, list.size()).boxed().toList()));
        assertThat(seqs).containsOnlyKeys("opcua-plant", "mqtt-gw");

        List<DeadLetter> letters =
            deadletters.records().stream()
                .map(r -> DeadLetter.fromRecord(r.headers(), r.value()))
                .toList();
        assertThat(letters).hasSize(badPayloads.size());
        assertThat(letters)
            .extracting(d -> new String(d.payload(), StandardCharsets.UTF_8))
            .containsExactlyInAnyOrderElementsOf(badPayloads);
        assertThat(letters)
            .allSatisfy(
                d -> {
                  assertThat(d.source()).isEqualTo("mqtt-gw");
                  assertThat(d.origin()).isEqualTo(badTopic(factory));
                  assertThat(d.reason()).isNotBlank();
                });
        assertThat(letters)
            .extracting(DeadLetter::reason)
            .anySatisfy(r -> assertThat(r).startsWith("Invalid JSON at 1:"))
            .anySatisfy(
                r -> assertThat(r).isEqualTo("Missing values: expected an object of tag to value"))
            .anySatisfy(
                r ->
                    assertThat(r)
                        .isEqualTo(
                            "Invalid value of state: expected a number, boolean or string, got an array"));

        CollectorStats stats = collector.stats();
        assertThat(stats).isEqualTo(new CollectorStats(total, total, badPayloads.size(), 0));
      }
    }
  }

  /** The config a user would write for this plant: every OPC UA variable, every MQTT topic. */
  private static CollectorConfig collectorConfig(
      SimulatedFactory factory, KafkaConfig kafkaConfig, Path stateDir) {
    List<NodeMapping> nodes = new ArrayList<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (SimMachine m : factory.plant().machines()) {
      for (SimTag t : m.tags()) {
        if (m.channel() == Channel.OPCUA) {
          nodes.add(
              new NodeMapping(
                  t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
        } else if (!t.unit().isEmpty()) {
          units.put(t.name(), t.unit());
        }
      }
    }
    OpcUaSourceConfig opcua =
        OpcUaSourceConfig.of(
            "opcua-plant", factory.opcUaEndpoint(), factory.plant().namespaceUri(), nodes);
    List<SourceConfig> sources = new ArrayList<>(List.of(opcua));
    if (factory.mqttBrokerUrl() != null) {
      sources.add(
          MqttSourceConfig.of(
              "mqtt-gw",
              factory.mqttBrokerUrl(),
              "ironlake-edge-e2e",
              List.of(
                  TopicMapping.json("factory/{site}/{area}/{line}/{device}/telemetry", units))));
    }
    return new CollectorConfig(
        "edge-e2e", stateDir, CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT, kafkaConfig, sources);
  }

  @Test
  void opcUaSourceReconnectsAndSubscribesAgainWhenTheServerRestarts() throws Exception {
    kafka.createTopic("telemetry-reconnect", 1);
    kafka.createTopic("deadletter-reconnect", 1);
    KafkaConfig kafkaConfig =
        new KafkaConfig(
            kafka.bootstrapServers(),
            "telemetry-reconnect",
            "deadletter-reconnect",
            5,
            "lz4",
            Map.of());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SimulatorConfig.Builder plant =
        SimulatorConfig.builder()
            .opcUaLines(1)
            .mqttLines(0)
            .machinesPerLine(2)
            .speed(10)
            .duration(Duration.ofSeconds(10))
            .opcUaPort(port)
            .emitOnStart(false);
    SimulatedFactory first = SimulatedFactory.start(plant.seed(1).build());
    CollectorConfig config = collectorConfig(first, kafkaConfig, dir.resolve("state-reconnect"));
    Map<String, Map<String, Long>> expected = new TreeMap<>();
    try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-reconnect")) {
      await().atMost(WAIT).until(collector::ready);
      first.startEmitting();
      assertThat(first.awaitFinished(WAIT)).isTrue();
      long firstTotal = first.emissions().total();
      await().atMost(WAIT).until(() -> telemetry.poll().size() >= firstTotal);
      addCounts(expected, first.emissions().counts());
      Instant firstStart = first.config().startTime();
      first.close();

      await()
          .atMost(WAIT)
          .until(() -> collector.sourceStates().get("opcua-plant") == SourceState.RECONNECTING);

      try (SimulatedFactory second =
          SimulatedFactory.start(plant.seed(2).startTime(firstStart.plusSeconds(3600)).build())) {
        await().atMost(WAIT).until(collector::ready);
        second.startEmitting();
        assertThat(second.awaitFinished(WAIT)).isTrue();
        addCounts(expected, second.emissions().counts());
        long total = firstTotal + second.emissions().total();
        await().atMost(WAIT).until(() -> telemetry.poll().size() >= total);
        collector.flush();
        telemetry.poll();

        List<TelemetryPoint> points = new ArrayList<>();
        telemetry.records().forEach(r -> points.add(TelemetryCodec.decode(r.value())));
        assertThat(countsOf(points)).isEqualTo(expected);
        assertThat(points.stream().map(TelemetryPoint::seq).sorted().toList())
            .isEqualTo(java.util.stream.LongStream.range(0, total).boxed().toList());
      }
    } finally {
      first.close();
    }
  }

  private static void addCounts(
      Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> counts) {
    counts.forEach(
        (device, tags) ->
            tags.forEach(
                (tag, n) ->
                    into.computeIfAbsent(device, d -> new TreeMap<>()).merge(tag, n, Long::sum)));
  }

  /** The topic of a real MQTT device: its good points must all arrive despite the bad ones. */
  private static String badTopic(SimulatedFactory factory) {
    return factory.plant().machines(Channel.MQTT).get(0).topic();
  }

  private static List<String> publishMalformed(SimulatedFactory factory) throws Exception {
    List<String> bad =
        List.of(
            "{\"ts\": 1700000000000, \"values\": {\"power_kw\": 1",
            "{\"ts\": 1700000000000}",
            "{\"ts\": 1700000000000, \"values\": {\"power_kw\": 1.5, \"state\": [\"RUNNING\"]}}",
            "not json at all");
    MqttClient client =
        new MqttClient(factory.mqttBrokerUrl(), "test-bad-gateway", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    client.connect(o);
    try {
      for (String payload : bad) {
        client.publish(badTopic(factory), payload.getBytes(StandardCharsets.UTF_8), 1, false);
      }
    } finally {
      client.disconnect();
      client.close();
    }
    return bad;
  }

  private static Map<String, Map<String, Long>> countsOf(List<TelemetryPoint> points) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (TelemetryPoint p : points) {
      counts.computeIfAbsent(p.devicePath(), d -> new TreeMap<>()).merge(p.tag(), 1L, Long::sum);
    }
    return counts;
  }
}
