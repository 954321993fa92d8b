package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.embedded.EmbeddedMqttBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT path end to end: a real MQTT broker, the collector, a real Kafka broker. */
class MqttCollectorTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static EmbeddedMqttBroker mqtt;
  static MqttClient gateway;

  @BeforeAll
  static void startBrokers() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    mqtt = EmbeddedMqttBroker.start(0, dir.resolve("mqtt"));
    gateway = new MqttClient(mqtt.url(), "test-gateway", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    gateway.connect(o);
  }

  @AfterAll
  static void stopBrokers() throws Exception {
    if (gateway != null) {
      gateway.disconnect();
      gateway.close();
    }
    if (mqtt != null) {
      mqtt.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static CollectorConfig config(String id, String topicSuffix, Path stateDir) {
    KafkaConfig k =
        new KafkaConfig(
            kafka.bootstrapServers(),
            "telemetry-" + topicSuffix,
            "deadletter-" + topicSuffix,
            5,
            "lz4",
            Map.of());
    MqttSourceConfig source =
        new MqttSourceConfig(
            "mqtt-gw",
            mqtt.url(),
            MqttSourceConfig.MQTT_3_1_1,
            "collector-" + id,
            1,
            false,
            30,
            4096,
            List.of(
                TopicMapping.json(
                    "factory/{site}/{area}/{line}/{device}/telemetry", Map.of("power_kw", "kW")),
                new TopicMapping(
                    "legacy/{device}/data",
                    "json",
                    Map.of(),
                    "plant-x",
                    "packing",
                    "line-9",
                    null)));
    return new CollectorConfig(id, stateDir, 4, k, List.of(source));
  }

  private static void publish(String topic, byte[] payload) throws Exception {
    gateway.publish(topic, payload, 1, false);
  }

  private static void publish(String topic, String payload) throws Exception {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  private static List<TelemetryPoint> points(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> TelemetryCodec.decode(r.value())).collect(Collectors.toList());
  }

  @Test
  void goodPayloadsBecomePointsAndBadOnesDeadLettersWithTheirReasons() throws Exception {
    kafka.createTopic("telemetry-a", 3);
    kafka.createTopic("deadletter-a", 1);
    byte[] garbage = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF, 0x7B};
    byte[] oversized = new byte[5000];
    java.util.Arrays.fill(oversized, (byte) ' ');
    try (EdgeCollector collector =
            EdgeCollector.start(config("edge-a", "a", dir.resolve("state-a")), CLOCK);
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-a");
        TopicReader deadletters = new TopicReader(kafka.bootstrapServers(), "deadletter-a")) {
      await().atMost(WAIT).until(collector::ready);

      for (int i = 0; i < 10; i++) {
        publish(
            "factory/plant-sh/assembly/line-3/m0" + (i % 2) + "/telemetry",
            "{\"ts\": "
                + (1_700_000_000_000L + i)
                + ", \"values\": {\"power_kw\": "
                + i
                + ".5, \"good_count\": "
                + i
                + ", \"state\": \"RUNNING\", \"ok\": true}}");
        if (i == 3) {
          publish("factory/plant-sh/assembly/line-3/m01/telemetry", "{\"ts\": 1, \"values\": {");
          publish(
              "factory/plant-sh/assembly/line-3/m01/telemetry",
              "{\"ts\": \"x\", \"values\": {\"a\": 1}}");
          publish(
              "factory/plant-sh/assembly/line-3/m01/telemetry",
              "{\"ts\": 1, \"values\": {\"a\": {\"b\": 1}}}");
          publish("factory/plant-sh/assembly/line-3/m01/telemetry", garbage);
          publish("factory/plant-sh/assembly/line-3/m01/telemetry", oversized);
        }
      }
      publish("legacy/m77/data", "{\"ts\": 1700000000999, \"values\": {\"temperature_c\": 21}}");

      await()
          .atMost(WAIT)
          .until(() -> telemetry.poll().size() >= 41 && deadletters.poll().size() >= 5);
      assertThat(telemetry.poll()).hasSize(41);
      assertThat(deadletters.poll()).hasSize(5);

      List<TelemetryPoint> points = points(telemetry.records());
      assertThat(points.stream().map(TelemetryPoint::seq).sorted())
          .as("each seq once, no gaps")
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 41).boxed().toList());
      assertThat(points)
          .allSatisfy(
              p -> {
                assertThat(p.collectorId()).isEqualTo("edge-a");
                assertThat(p.source()).isEqualTo("mqtt-gw");
                assertThat(p.ingestTsMicros()).isEqualTo(NOW.toEpochMilli() * 1000);
                assertThat(p.quality()).isEqualTo(Quality.GOOD);
              });
      TelemetryPoint power7 =
          points.stream()
              .filter(p -> p.tag().equals("power_kw") && p.tsMicros() == 1_700_000_000_007_000L)
              .findFirst()
              .orElseThrow();
      assertThat(power7.devicePath()).isEqualTo("plant-sh/assembly/line-3/m01");
      assertThat(power7.value()).isEqualTo(PointValue.of(7.5));
      assertThat(power7.unit()).isEqualTo("kW");
      assertThat(points)
          .filteredOn(p -> p.tag().equals("good_count"))
          .extracting(TelemetryPoint::value)
          .allMatch(v -> v instanceof PointValue.LongValue);
      assertThat(points)
          .filteredOn(p -> p.device().equals("m77"))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.devicePath()).isEqualTo("plant-x/packing/line-9/m77");
                assertThat(p.value()).isEqualTo(PointValue.of(21L));
                assertThat(p.unit()).isEmpty();
              });
      // Keyed by device, so a device's points stay in order on one partition.
      assertThat(telemetry.records())
          .allSatisfy(
              r ->
                  assertThat(new String(r.key(), StandardCharsets.UTF_8))
                      .isEqualTo(TelemetryCodec.decode(r.value()).devicePath()));

      List<DeadLetter> letters =
          deadletters.records().stream()
              .map(r -> DeadLetter.fromRecord(r.headers(), r.value()))
              .toList();
      assertThat(letters)
          .allSatisfy(
              d -> {
                assertThat(d.collectorId()).isEqualTo("edge-a");
                assertThat(d.source()).isEqualTo("mqtt-gw");
                assertThat(d.origin()).isEqualTo("factory/plant-sh/assembly/line-3/m01/telemetry");
                assertThat(d.receivedAtMicros()).isEqualTo(NOW.toEpochMilli() * 1000);
              });
      assertThat(letters)
          .extracting(DeadLetter::reason)
          .satisfiesExactlyInAnyOrder(
              r -> assertThat(r).startsWith("Invalid JSON at 1:").contains("end-of-input"),
              r ->
                  assertThat(r)
                      .isEqualTo("Invalid ts \"x\": expected epoch milliseconds as an integer"),
              r ->
                  assertThat(r)
                      .isEqualTo(
                          "Invalid value of a: expected a number, boolean or string, got an object"),
              r -> assertThat(r).startsWith("Invalid JSON"),
              r ->
                  assertThat(r)
                      .isEqualTo("Payload too large: 5000 bytes, max-payload-bytes is 4096"));
      assertThat(letters)
          .filteredOn(d -> d.payload().length == garbage.length)
          .singleElement()
          .satisfies(d -> assertThat(d.payload()).isEqualTo(garbage));

      assertThat(collector.stats()).isEqualTo(new CollectorStats(41, 41, 5, 0));
    }
  }

  @Test
  void anMqtt5SourceRefusedByThe311OnlyMoquetteSaysWhatToSet() throws Exception {
    MqttSourceConfig config =
        MqttSourceConfig.of(
                "mqtt-v5",
                mqtt.url(),
                "collector-v5",
                List.of(
                    TopicMapping.json("factory/{site}/{area}/{line}/{device}/telemetry", Map.of())))
            .withMqttVersion(MqttSourceConfig.MQTT_5);
    try (io.ironlake.collector.spool.Spool spool =
            io.ironlake.collector.spool.Spool.open(
                io.ironlake.collector.spool.SpoolConfig.defaults(dir.resolve("v5-spool")), CLOCK);
        io.ironlake.collector.seq.SeqStore seq =
            io.ironlake.collector.seq.SeqStore.open(dir.resolve("v5.seq"), 10)) {
      io.ironlake.collector.mqtt.MqttSource source =
          new io.ironlake.collector.mqtt.MqttSource(
              "edge-v5",
              config,
              new io.ironlake.collector.internal.SourcePipeline(
                  "mqtt-v5", seq, spool, new io.ironlake.collector.internal.CollectorMetrics()),
              CLOCK);
      try {
        source.start();
        await().atMost(WAIT).until(() -> source.lastError().isPresent());
        assertThat(source.lastError().get())
            .startsWith("Cannot connect to " + mqtt.url() + " (MQTT 5, client id collector-v5): ")
            .contains("mqtt-version: \"3.1.1\"");
        assertThat(source.state()).isEqualTo(SourceState.CONNECTING);
      } finally {
        source.close();
      }
    }
  }

  @Test
  void sequenceContinuesAcrossARestart() throws Exception {
    kafka.createTopic("telemetry-b", 1);
    kafka.createTopic("deadletter-b", 1);
    Path state = dir.resolve("state-b");
    String topic = "factory/plant-sh/assembly/line-3/m05/telemetry";
    try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-b")) {
      for (int run = 0; run < 2; run++) {
        try (EdgeCollector collector = EdgeCollector.start(config("edge-b", "b", state), CLOCK)) {
          await().atMost(WAIT).until(collector::ready);
          for (int i = 0; i < 3; i++) {
            publish(topic, "{\"ts\": " + (run * 10 + i) + ", \"values\": {\"a\": 1, \"b\": 2.5}}");
          }
          int expected = (run + 1) * 6;
          await().atMost(WAIT).until(() -> telemetry.poll().size() >= expected);
        }
      }
      assertThat(points(telemetry.records()))
          .extracting(TelemetryPoint::seq)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }
  }
}
