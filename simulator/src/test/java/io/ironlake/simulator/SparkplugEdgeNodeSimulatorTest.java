package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.sparkplug.DecodedPoint;
import io.ironlake.connectors.sparkplug.EdgeNodeStatus;
import io.ironlake.connectors.sparkplug.RebirthRequest;
import io.ironlake.connectors.sparkplug.SparkplugDecoder;
import io.ironlake.connectors.sparkplug.SparkplugMessageType;
import io.ironlake.connectors.sparkplug.SparkplugPathMapping;
import io.ironlake.connectors.sparkplug.SparkplugResult;
import io.ironlake.connectors.sparkplug.SparkplugTopic;
import io.ironlake.embedded.EmbeddedMqttBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's Sparkplug B edge node, through a real MQTT broker, read by a Paho subscriber and
 * the connectors' {@link SparkplugDecoder}: a Sparkplug host sees exactly what the simulator says
 * it emitted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkplugEdgeNodeSimulatorTest {

  private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
  private static final Duration DURATION = Duration.ofSeconds(60);
  private static final String GROUP = "plant-sh";
  private static final String NODE = "line-1";

  @TempDir static Path dataDir;

  private static EmbeddedMqttBroker broker;
  private static SimulatedFactory factory;
  private static MqttClient host;
  private static SparkplugDecoder decoder;
  private static final List<Received> received = new CopyOnWriteArrayList<>();

  private record Received(String topic, byte[] payload, SparkplugResult result) {
    SparkplugMessageType type() {
      return SparkplugTopic.parse(topic).type();
    }

    List<DecodedPoint> points() {
      return result instanceof SparkplugResult.Points p ? p.points() : List.of();
    }
  }

  @BeforeAll
  static void startBrokerHostAndFactory() throws Exception {
    broker = EmbeddedMqttBroker.start(0, dataDir.resolve("mqtt"));
    decoder =
        SparkplugDecoder.builder()
            .mapping(SparkplugPathMapping.groupAsSite("assembly"))
            .sourceName("sim-test")
            .build();
    host = new MqttClient(broker.url(), "sparkplug-test-host", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    host.connect(options);
    // The host subscribes first, so it sees the births the node sends when it connects.
    host.subscribe(
        "spBv1.0/#",
        1,
        (topic, message) -> {
          byte[] payload = message.getPayload();
          received.add(new Received(topic, payload, decoder.decode(topic, payload)));
        });

    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(0)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(60)
                .startTime(START)
                .duration(DURATION)
                .mqttBrokerUrl(broker.url())
                .mqttPayload(MqttPayload.SPARKPLUG_B)
                .emitOnStart(false)
                .build());
    factory.startEmitting();
    assertThat(factory.awaitFinished(Duration.ofSeconds(30))).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (factory != null) {
      factory.close();
    }
    if (host != null && host.isConnected()) {
      host.disconnect();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  void birthsComeFirstAndNameEveryMachine() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
    assertThat(received.subList(0, 3))
        .extracting(Received::topic)
        .containsExactly(
            "spBv1.0/plant-sh/NBIRTH/line-1",
            "spBv1.0/plant-sh/DBIRTH/line-1/m01",
            "spBv1.0/plant-sh/DBIRTH/line-1/m02");
    // Births before the first tick carry no values, so they make no points.
    assertThat(received.subList(0, 3)).allSatisfy(r -> assertThat(r.points()).isEmpty());
    assertThat(factory.plant().machines())
        .extracting(SimMachine::topic)
        .containsExactly("spBv1.0/plant-sh/DDATA/line-1/m01", "spBv1.0/plant-sh/DDATA/line-1/m02");
  }

  @Test
  @Order(2)
  void everyEmittedPointDecodesWithItsValue() {
    long total = factory.emissions().total();
    assertThat(total).isEqualTo(DURATION.toSeconds() * 2 * 7);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> ddata().stream().mapToLong(r -> r.points().size()).sum() >= total);

    assertThat(received)
        .as("no dead letters, no rebirths, no gaps")
        .allSatisfy(
            r -> {
              assertThat(r.result().deadLetterReason()).as(r.topic()).isEmpty();
              assertThat(r.result().rebirth()).as(r.topic()).isEmpty();
              if (r.result() instanceof SparkplugResult.Points p) {
                assertThat(p.sequenceGap()).as(r.topic()).isEmpty();
              }
            });
    assertThat(ddata()).hasSize((int) DURATION.toSeconds() * 2);

    for (SimMachine machine : factory.plant().machines()) {
      List<EmittedPoint> emitted = factory.emissions().points(machine.devicePath());
      List<DecodedPoint> decoded =
          ddata().stream()
              .filter(r -> r.topic().equals(machine.topic()))
              .flatMap(r -> r.points().stream())
              .toList();
      assertThat(decoded).hasSameSizeAs(emitted);
      for (int i = 0; i < emitted.size(); i++) {
        EmittedPoint e = emitted.get(i);
        DecodedPoint d = decoded.get(i);
        assertThat(d.path().toString()).isEqualTo(e.devicePath());
        assertThat(d.tag()).isEqualTo(e.tag());
        assertThat(d.tsMicros()).isEqualTo(e.tsMicros());
        assertThat(d.value()).as(e.tag() + " at " + e.tsMicros()).isEqualTo(e.value());
        assertThat(d.quality()).isEqualTo(Quality.GOOD);
        assertThat(d.unit()).isEqualTo(machine.tag(e.tag()).orElseThrow().unit());
      }
    }
  }

  @Test
  @Order(3)
  void aRebirthRequestMakesTheNodeResendItsBirthsWithTheLastValues() throws Exception {
    long birthsBefore = status().births();
    int before = received.size();

    RebirthRequest request = decoder.rebirthRequest(GROUP, NODE);
    assertThat(request.topic()).isEqualTo("spBv1.0/plant-sh/NCMD/line-1");
    host.publish(request.topic(), request.payload(), 0, false);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.size() >= before + 4 && status().births() == birthsBefore + 1);
    List<Received> rebirth = received.subList(before, received.size());
    assertThat(rebirth)
        .extracting(Received::topic)
        .containsExactly(
            "spBv1.0/plant-sh/NCMD/line-1", // our own request, ignored by the decoder
            "spBv1.0/plant-sh/NBIRTH/line-1",
            "spBv1.0/plant-sh/DBIRTH/line-1/m01",
            "spBv1.0/plant-sh/DBIRTH/line-1/m02");
    assertThat(rebirth.get(0).result()).isInstanceOf(SparkplugResult.Ignored.class);
    EdgeNodeStatus status = status();
    assertThat(status.online()).isTrue();
    assertThat(status.bdSeq()).isZero();
    assertThat(status.lastSeq()).as("NBIRTH seq 0, then the two DBIRTHs").isEqualTo(2);
    assertThat(status.onlineDevices()).containsExactlyInAnyOrder("m01", "m02");
    // This host already has the values the births repeat: no new points.
    assertThat(rebirth).allSatisfy(r -> assertThat(r.points()).isEmpty());

    // A host that joins now learns every machine's last value from the births.
    SparkplugDecoder newcomer =
        SparkplugDecoder.builder().mapping(SparkplugPathMapping.groupAsSite("assembly")).build();
    List<DecodedPoint> learned =
        rebirth.stream()
            .flatMap(r -> pointsOf(newcomer.decode(r.topic(), r.payload())).stream())
            .toList();
    assertThat(learned).hasSize(2 * 7);
    long lastTick = START.plus(DURATION).minusSeconds(1).toEpochMilli() * 1000;
    for (DecodedPoint p : learned) {
      EmittedPoint last =
          factory.emissions().points(p.path().toString()).stream()
              .filter(e -> e.tag().equals(p.tag()))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertThat(p.tsMicros()).isEqualTo(lastTick).isEqualTo(last.tsMicros());
      assertThat(p.value()).as(p.path() + "/" + p.tag()).isEqualTo(last.value());
    }
  }

  @Test
  @Order(4)
  void closingTheFactorySendsTheNodeDeathAndEveryMetricTurnsBad() {
    int before = received.size();
    factory.close();

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() > before);
    Received death = received.get(before);
    assertThat(death.type()).isEqualTo(SparkplugMessageType.NDEATH);
    assertThat(death.points()).hasSize(2 * 7);
    assertThat(death.points())
        .allSatisfy(
            p -> {
              assertThat(p.quality()).isEqualTo(Quality.BAD);
              assertThat(p.statusCode()).isEqualTo(SparkplugDecoder.STATUS_NO_COMMUNICATION);
            });
    assertThat(status().online()).isFalse();
  }

  @Test
  void theConfigDefaultsToJsonAndRefusesNoPayloadFormat() {
    assertThat(SimulatorConfig.builder().build().mqttPayload()).isEqualTo(MqttPayload.JSON);
    assertThatThrownBy(() -> SimulatorConfig.builder().mqttPayload(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value null for mqttPayload: expected JSON or SPARKPLUG_B");
  }

  private static List<Received> ddata() {
    return received.stream().filter(r -> r.type() == SparkplugMessageType.DDATA).toList();
  }

  private static EdgeNodeStatus status() {
    return decoder.status(GROUP, NODE).orElseThrow();
  }

  private static List<DecodedPoint> pointsOf(SparkplugResult result) {
    return result instanceof SparkplugResult.Points p ? p.points() : List.of();
  }
}
