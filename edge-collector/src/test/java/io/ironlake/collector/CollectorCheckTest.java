package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedEvent;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CollectorMain check} against a simulated factory (OPC UA line and MQTT line): it reports
 * the tags per device and the would-be dead letters without Kafka (the configured broker does not
 * exist) and without creating the state folder; a missing node or an unreachable source fails it.
 */
class CollectorCheckTest {
  @TempDir static Path dir;
  static SimulatedFactory factory;

  @BeforeAll
  static void startFactory() throws Exception {
    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(10)
                .duration(Duration.ofMinutes(5))
                .emitOnStart(true)
                .dataDir(dir.resolve("sim"))
                .build());
    // A retained malformed message the check gets when it subscribes.
    MqttClient client =
        new MqttClient(factory.mqttBrokerUrl(), "test-bad-gateway", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    client.connect(o);
    client.publish(
        "factory/plant-sh/assembly/line-9/m99/telemetry",
        "not json".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    client.disconnect();
    client.close();
  }

  @AfterAll
  static void stopFactory() {
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  void reportsTagsPerDeviceAndDeadLettersWithoutKafkaOrState() throws Exception {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, yaml(null, factory.mqttBrokerUrl()));

    Result r = check(file);

    assertThat(r.exit).as(r.out).isZero();
    SimMachine m1 = factory.plant().machines(Channel.OPCUA).get(0);
    SimMachine mq = factory.plant().machines(Channel.MQTT).get(0);
    int tags = m1.tags().size();
    assertThat(r.out)
        .contains("source opcua-plant (opcua, " + factory.opcUaEndpoint() + "):")
        .contains("connected; " + 2 * tags + " of " + 2 * tags + " node(s) exist, on 2 device(s)")
        .contains(m1.devicePath() + ": " + tags + " tag(s)\n")
        .contains("source mqtt-gw (mqtt, " + factory.mqttBrokerUrl() + "), listening 3 s:")
        .containsPattern("connected; \\d+ message\\(s\\), 2 device\\(s\\), 1 would be dead letters")
        .contains(mq.devicePath() + ": " + tags + " tag(s): diameter_mm, energy_kwh, good_count")
        .contains("dead letter: factory/plant-sh/assembly/line-9/m99/telemetry: Invalid JSON")
        .contains("OK: every source reachable.");
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void aSparkplugHostSourceIsCheckedWithoutAnnouncingTheHost() throws Exception {
    List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    MqttClient watcher =
        new MqttClient(factory.mqttBrokerUrl(), "test-state-watch", new MemoryPersistence());
    watcher.connect();
    watcher.subscribe("spBv1.0/STATE/#", 1, (topic, message) -> states.add(topic));
    try {
      Path file = dir.resolve("host.yaml");
      Files.writeString(
          file,
          yaml(null, factory.mqttBrokerUrl())
              .replace(
                  "    qos: 1\n",
                  "    qos: 1\n    clean-session: true\n    sparkplug-host-id: scada-check\n"));

      Result r = check(file);

      assertThat(r.exit).as(r.out).isZero();
      assertThat(r.out).contains("sparkplug host scada-check is not announced by check");
      assertThat(states).as("no STATE published by the check").isEmpty();
    } finally {
      watcher.disconnect();
      watcher.close();
    }
  }

  @Test
  void failsOnAMissingNodeAndAnUnreachableBroker() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        yaml("s=plant-sh/assembly/line-1/m01/no_such_tag", "tcp://127.0.0.1:" + Plants.freePort()));

    Result r = check(file);

    assertThat(r.exit).as(r.out).isEqualTo(1);
    SimMachine m1 = factory.plant().machines(Channel.OPCUA).get(0);
    int tags = m1.tags().size();
    assertThat(r.out)
        .contains(
            m1.devicePath()
                + ": "
                + tags
                + " tag(s), missing 1: bogus (s=plant-sh/assembly/line-1/m01/no_such_tag: no such"
                + " node)")
        .contains("UNREACHABLE: Cannot connect to tcp://127.0.0.1:")
        .contains("FAILED: see above.");
  }

  @Test
  void anInvalidFileExitsWithTwoAndNamesTheKey() throws Exception {
    Path file = dir.resolve("invalid.yaml");
    Files.writeString(file, yaml(null, factory.mqttBrokerUrl()).replace("qos: 1", "qos: 7"));

    Result r = check(file);

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err)
        .contains("Invalid value \"7\" for sources[1].qos in " + file.toAbsolutePath());
  }

  @Test
  void ackAcknowledgesAConditionByItsEventIdAndExitsOneWhenTheServerRefuses() throws Exception {
    Path file = Files.writeString(dir.resolve("ack.yaml"), yaml(null, factory.mqttBrokerUrl()));
    String device = factory.plant().machines(Channel.OPCUA).get(0).devicePath();
    factory.raiseAlarm(device);
    EmittedEvent state =
        factory.alarmStates().stream()
            .filter(e -> e.devicePath().equals(device))
            .findFirst()
            .orElseThrow();
    assertThat(state.acked()).isFalse();

    Result ok = ack(file, state.conditionId(), "--event-id", state.eventIdHex());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("acknowledged: " + state.conditionId());
    assertThat(factory.alarmStates())
        .filteredOn(e -> e.devicePath().equals(device))
        .singleElement()
        .satisfies(e -> assertThat(e.acked()).isTrue());

    // The acknowledgement was an event with a new EventId: the old one is stale now.
    Result stale = ack(file, state.conditionId(), "--event-id", state.eventIdHex());
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.err()).contains("Cannot acknowledge").contains("Bad_EventIdUnknown");

    Result usage = ack(file, state.conditionId(), "--comment", "no event id");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing option --event-id");
    Result notHex = ack(file, state.conditionId(), "--event-id", "xyz");
    assertThat(notHex.exit()).isEqualTo(2);
    assertThat(notHex.err()).contains("Invalid value \"xyz\" for --event-id");
  }

  private static Result ack(Path file, String condition, String option, String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CollectorMain.run(
            new String[] {
              "ack",
              "--config",
              file.toString(),
              "--source",
              "opcua-plant",
              "--condition",
              condition,
              option,
              value
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int exit, String out, String err) {}

  private static Result check(Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CollectorMain.run(
            new String[] {"check", "--config", file.toString(), "--listen", "3s"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every OPC UA node (plus one, if given), the MQTT line's pattern; Kafka nowhere. */
  private static String yaml(String extraNode, String broker) {
    StringBuilder y =
        new StringBuilder(
            "collector:\n  id: edge-check\n  state-dir: ./state\n"
                + "kafka:\n  bootstrap-servers: 127.0.0.1:1\n"
                + "http:\n  port: 0\n"
                + "sources:\n  - name: opcua-plant\n    type: opcua\n    endpoint: "
                + factory.opcUaEndpoint()
                + "\n    security-policy: None\n    namespace-uri: "
                + factory.plant().namespaceUri()
                + "\n    nodes:\n");
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        y.append(node(t.nodeId(), m, t.name()));
      }
    }
    if (extraNode != null) {
      y.append(node(extraNode, factory.plant().machines(Channel.OPCUA).get(0), "bogus"));
    }
    y.append("  - name: mqtt-gw\n    type: mqtt\n    broker: ")
        .append(broker)
        .append("\n    qos: 1\n    topics:\n")
        .append("      - pattern: \"factory/{site}/{area}/{line}/{device}/telemetry\"\n");
    return y.toString();
  }

  private static String node(String nodeId, SimMachine m, String tag) {
    return "      - node-id: \""
        + nodeId
        + "\"\n        site: "
        + m.site()
        + "\n        area: "
        + m.area()
        + "\n        line: "
        + m.line()
        + "\n        device: "
        + m.device()
        + "\n        tag: "
        + tag
        + "\n";
  }
}
