package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedEvent;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ironlake collector ack} acknowledges a condition of the simulated OPC UA server, refuses a
 * stale event id with the server's answer and names a wrong source.
 */
class CollectorCommandTest {
  @TempDir static Path dir;
  static SimulatedFactory factory;

  @BeforeAll
  static void startFactory() {
    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(0)
                .machinesPerLine(1)
                .duration(Duration.ofMinutes(5))
                .dataDir(dir.resolve("sim"))
                .build());
  }

  @AfterAll
  static void stopFactory() {
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  void ackAcknowledgesAConditionAndReportsARefusal() throws Exception {
    SimMachine m = factory.plant().machines(Channel.OPCUA).get(0);
    SimTag tag = m.tags().get(0);
    Path file =
        Files.writeString(
            dir.resolve("collector.yaml"),
            "collector:\n  id: edge-ack\n  state-dir: "
                + dir.resolve("state")
                + "\nkafka:\n  bootstrap-servers: 127.0.0.1:1\n"
                + "sources:\n  - name: opcua-plant\n    type: opcua\n    endpoint: "
                + factory.opcUaEndpoint()
                + "\n    security-policy: None\n    namespace-uri: "
                + factory.plant().namespaceUri()
                + "\n    nodes:\n      - node-id: \""
                + tag.nodeId()
                + "\"\n        site: "
                + m.site()
                + "\n        area: "
                + m.area()
                + "\n        line: "
                + m.line()
                + "\n        device: "
                + m.device()
                + "\n        tag: "
                + tag.name()
                + "\n");
    factory.raiseAlarm(m.devicePath());
    EmittedEvent raised = alarmOf(m);
    assertThat(raised.acked()).isFalse();

    Result ok = ack(file, "opcua-plant", raised);
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("acknowledged: " + raised.conditionId());
    assertThat(alarmOf(m).acked()).isTrue();

    // The acknowledgement was an event of its own: the old event id is stale.
    Result stale = ack(file, "opcua-plant", raised);
    assertThat(stale.code()).isEqualTo(1);
    assertThat(stale.err()).contains("Cannot acknowledge").contains("Bad_EventIdUnknown");

    Result wrongSource = ack(file, "no-such-source", raised);
    assertThat(wrongSource.code()).isEqualTo(2);
    assertThat(wrongSource.err())
        .contains(
            "Invalid value \"no-such-source\" for --source: expected the name of an opcua source"
                + " in "
                + file);
  }

  private static EmittedEvent alarmOf(SimMachine m) {
    return factory.alarmStates().stream()
        .filter(e -> e.devicePath().equals(m.devicePath()))
        .findFirst()
        .orElseThrow();
  }

  private static Result ack(Path file, String source, EmittedEvent event) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = IronlakeMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code =
        cl.execute(
            "collector",
            "ack",
            "--config",
            file.toString(),
            "--source",
            source,
            "--condition",
            event.conditionId(),
            "--event-id",
            event.eventIdHex(),
            "--comment",
            "checked on site");
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
