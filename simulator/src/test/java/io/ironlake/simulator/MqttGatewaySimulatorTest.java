package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlake.connectors.record.PointValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Paho subscriber on {@code factory/#} receives every message the gateway simulator sent. */
class MqttGatewaySimulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
  private static final Duration DURATION = Duration.ofSeconds(60);

  @TempDir static Path dataDir;

  private static SimulatedFactory factory;
  private static MqttClient subscriber;
  private static final List<Received> received = new CopyOnWriteArrayList<>();

  private record Received(String topic, String payload, int qos) {}

  @BeforeAll
  static void startFactoryAndSubscribe() throws Exception {
    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(0)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(60)
                .startTime(START)
                .duration(DURATION)
                .dataDir(dataDir)
                .emitOnStart(false)
                .build());
    subscriber =
        new MqttClient(factory.mqttBrokerUrl(), "sim-test-subscriber", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    subscriber.connect(options);
    subscriber.subscribe(
        "factory/#",
        1,
        (topic, message) ->
            received.add(
                new Received(
                    topic,
                    new String(message.getPayload(), StandardCharsets.UTF_8),
                    message.getQos())));

    factory.startEmitting();
    assertThat(factory.awaitFinished(Duration.ofSeconds(30))).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (subscriber != null && subscriber.isConnected()) {
      subscriber.disconnect();
    }
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  void describesTheMqttMachines() {
    assertThat(factory.mqttBrokerUrl()).matches("tcp://127\\.0\\.0\\.1:\\d+");
    assertThat(factory.opcUaEndpoint()).isNull();
    assertThat(factory.plant().machines())
        .extracting(SimMachine::topic)
        .containsExactly(
            "factory/plant-sh/assembly/line-1/m01/telemetry",
            "factory/plant-sh/assembly/line-1/m02/telemetry");
    assertThat(factory.plant().machines())
        .allSatisfy(m -> assertThat(m.channel()).isEqualTo(Channel.MQTT));
  }

  @Test
  void everyEmittedMessageArrivesOnceWithTheLoggedValues() throws Exception {
    long ticks = DURATION.toSeconds();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2 * ticks);
    assertThat(received).hasSize((int) (2 * ticks));

    for (SimMachine machine : factory.plant().machines()) {
      List<Received> messages =
          received.stream().filter(r -> r.topic().equals(machine.topic())).toList();
      List<EmittedPoint> points = factory.emissions().points(machine.devicePath());
      assertThat(messages).hasSize((int) ticks);
      assertThat(points).hasSize((int) ticks * 7);
      for (int n = 0; n < messages.size(); n++) {
        Received message = messages.get(n);
        assertThat(message.qos()).isEqualTo(1);
        JsonNode root = JSON.readTree(message.payload());
        long tsMillis = START.toEpochMilli() + n * 1_000L;
        assertThat(root.get("ts").asLong()).isEqualTo(tsMillis);
        JsonNode values = root.get("values");
        assertThat(values.size()).isEqualTo(7);
        for (EmittedPoint point : points.subList(n * 7, n * 7 + 7)) {
          assertThat(point.tsMicros()).isEqualTo(tsMillis * 1_000);
          assertThat(point.channel()).isEqualTo(Channel.MQTT);
          assertThat(parse(values.get(point.tag()))).as(point.tag()).isEqualTo(point.value());
        }
      }
    }
  }

  @Test
  void doublesAreJsonFloatsAndCountersJsonIntegers() throws Exception {
    JsonNode values = JSON.readTree(received.get(0).payload()).get("values");
    for (String tag : List.of("power_kw", "energy_kwh", "diameter_mm", "temperature_c")) {
      assertThat(values.get(tag).isFloatingPointNumber()).as(tag).isTrue();
    }
    assertThat(values.get("good_count").isIntegralNumber()).isTrue();
    assertThat(values.get("total_count").isIntegralNumber()).isTrue();
    assertThat(values.get("state").isTextual()).isTrue();
    assertThat(received.get(0).payload()).startsWith("{\"ts\":");
  }

  @Test
  void journalHoldsEveryPointAndMeterReading() throws Exception {
    factory.emissions().close();
    Path journal = dataDir.resolve("simulator").resolve("emissions.jsonl");
    List<String> lines = java.nio.file.Files.readAllLines(journal);
    long points = lines.stream().filter(l -> l.contains("\"kind\":\"point\"")).count();
    long meters = lines.stream().filter(l -> l.contains("\"kind\":\"meter\"")).count();
    assertThat(points).isEqualTo(factory.emissions().total());
    assertThat(meters).isEqualTo(2 * DURATION.toSeconds());
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("device").asText()).isEqualTo("plant-sh/assembly/line-1/m01");
    assertThat(first.get("tsMicros").asLong()).isEqualTo(START.toEpochMilli() * 1_000);
    Map<String, Map<String, Long>> counts = factory.emissions().counts();
    assertThat(counts.get("plant-sh/assembly/line-1/m02"))
        .containsEntry("state", DURATION.toSeconds());
  }

  private static PointValue parse(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return PointValue.of(node.asDouble());
    } else if (node.isIntegralNumber()) {
      return PointValue.of(node.asLong());
    }
    return PointValue.of(node.asText());
  }
}
