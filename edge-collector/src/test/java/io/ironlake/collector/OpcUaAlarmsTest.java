package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaEvents;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.OpcUaAcknowledger;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedEvent;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPC UA Alarms & Conditions against the simulator's {@code fault} condition nodes: a condition
 * raised, acknowledged on the server and cleared reaches {@code events.v1} at each step with its
 * ConditionId and states; a condition active before the collector starts arrives through the
 * ConditionRefresh the collector calls on its new event subscription (marked {@code refresh});
 * after a server restart the still-active condition is reported again, and a cleared, acknowledged
 * one is not; an engineer acknowledges it through {@link OpcUaAcknowledger} (what {@code
 * CollectorMain ack} runs).
 */
class OpcUaAlarmsTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void conditionsReachTheEventsTopicWithTheirStatesAndComeBackByRefresh() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        SimulatedFactory factory =
            SimulatedFactory.start(
                SimulatorConfig.builder()
                    .opcUaLines(1)
                    .mqttLines(0)
                    .machinesPerLine(2)
                    .faultProbability(0)
                    .opcUaPort(Plants.freePort())
                    .emitOnStart(false)
                    .build())) {
      kafka.createTopic(Topics.TELEMETRY, 1);
      kafka.createTopic(Topics.EVENTS, 1);
      List<SimMachine> machines = factory.plant().machines(Channel.OPCUA);
      String m1 = machines.get(0).devicePath();
      String m2 = machines.get(1).devicePath();
      SimMachine first = machines.get(0);
      List<NodeMapping> nodes =
          List.of(
              new NodeMapping(
                  first.tag("state").orElseThrow().nodeId(),
                  first.site(),
                  first.area(),
                  first.line(),
                  first.device(),
                  "state",
                  ""));
      OpcUaSourceConfig opcua =
          OpcUaSourceConfig.of(
                  "opcua-plant", factory.opcUaEndpoint(), factory.plant().namespaceUri(), nodes)
              .withEvents(OpcUaEvents.SERVER);
      CollectorConfig config =
          new CollectorConfig(
              "edge-ac",
              dir.resolve("state"),
              CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT,
              KafkaConfig.of(kafka.bootstrapServers()),
              List.of(opcua));

      // Active before the collector exists.
      EmittedEvent early = factory.raiseAlarm(m1).get(0);
      assertThat(early.conditionId()).endsWith("s=" + m1 + "/fault");
      assertThat(factory.alarmStates()).filteredOn(EmittedEvent::retain).hasSize(1);

      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader events = new TopicReader(kafka.bootstrapServers(), Topics.EVENTS)) {
        await().atMost(WAIT).until(collector::ready);
        JsonNode refreshed =
            awaitEvent(events, e -> e.get("event_id").asText().equals(early.eventIdHex()));
        assertCondition(refreshed, early, true);
        assertThat(refreshed.get("active").asBoolean()).isTrue();
        assertThat(refreshed.get("acked").asBoolean()).isFalse();

        // Raised, acknowledged at the HMI, cleared: one record each, live.
        EmittedEvent raised = factory.raiseAlarm(m2).get(0);
        EmittedEvent acked = factory.acknowledgeAlarm(m2, "checked the spindle");
        EmittedEvent cleared = factory.clearAlarm(m2).get(0);
        assertThat(List.of(raised.active(), acked.active(), cleared.active()))
            .containsExactly(true, true, false);
        assertThat(List.of(raised.acked(), acked.acked(), cleared.acked()))
            .containsExactly(false, true, true);
        assertThat(List.of(raised.retain(), acked.retain(), cleared.retain()))
            .containsExactly(true, true, false);
        for (EmittedEvent x : List.of(raised, acked, cleared)) {
          assertCondition(
              awaitEvent(events, e -> e.get("event_id").asText().equals(x.eventIdHex())), x, false);
        }

        // Server restart: the collector's event subscription is created again and refreshed; m1
        // (still active, unacknowledged) comes again, m2 (cleared and acknowledged) does not.
        int before = events.poll().size();
        factory.stopOpcUa();
        await()
            .atMost(WAIT)
            .until(() -> collector.sourceStates().get("opcua-plant") != SourceState.READY);
        factory.startOpcUa();
        await().atMost(WAIT).until(collector::ready);
        JsonNode again =
            awaitEvent(
                events,
                e ->
                    e.get("refresh").asBoolean()
                        && e.get("event_id").asText().equals(early.eventIdHex()),
                before);
        assertCondition(again, early, true);
        collector.flush(Duration.ofSeconds(10));
        List<JsonNode> all = parse(events.poll());
        List<JsonNode> afterRestart = all.subList(before, all.size());
        assertThat(afterRestart)
            .as("only the retained condition is refreshed")
            .allSatisfy(e -> assertThat(e.get("source_name").asText()).isEqualTo(m1));

        // The engineer acknowledges m1 from the alarm list: its condition_id and event_id as on
        // events.v1; the acknowledged state comes back as a live event. The old EventId is then
        // stale.
        byte[] eventId = HexFormat.of().parseHex(again.get("event_id").asText());
        StatusCode ok =
            OpcUaAcknowledger.acknowledge(
                "edge-ac",
                opcua,
                EdgeCollector.pkiDir(dir.resolve("state")),
                again.get("condition_id").asText(),
                eventId,
                "seen by the night shift");
        assertThat(ok.isGood()).as("Acknowledge: %s", ok).isTrue();
        EmittedEvent ackedByClient =
            factory.emissions().events().get(factory.emissions().events().size() - 1);
        assertThat(ackedByClient.acked()).isTrue();
        assertThat(ackedByClient.message()).endsWith("fault acknowledged: seen by the night shift");
        assertCondition(
            awaitEvent(events, e -> e.get("event_id").asText().equals(ackedByClient.eventIdHex())),
            ackedByClient,
            false);
        StatusCode stale =
            OpcUaAcknowledger.acknowledge(
                "edge-ac",
                opcua,
                EdgeCollector.pkiDir(dir.resolve("state")),
                again.get("condition_id").asText(),
                eventId,
                "again");
        assertThat(stale.value()).isEqualTo(StatusCodes.Bad_EventIdUnknown);
      }
    }
  }

  private static void assertCondition(JsonNode e, EmittedEvent x, boolean refresh) {
    assertThat(e.get("event_type").asText()).isEqualTo("i=2915");
    assertThat(e.get("condition_id").asText()).isEqualTo(x.conditionId());
    assertThat(e.get("condition_name").asText()).isEqualTo("fault");
    assertThat(e.get("source_name").asText()).isEqualTo(x.devicePath());
    assertThat(e.get("source_node").asText()).endsWith("s=" + x.devicePath());
    assertThat(e.get("active").asBoolean()).isEqualTo(x.active());
    assertThat(e.get("active_state").asText()).isEqualTo(x.active() ? "Active" : "Inactive");
    assertThat(e.get("acked").asBoolean()).isEqualTo(x.acked());
    assertThat(e.get("acked_state").asText())
        .isEqualTo(x.acked() ? "Acknowledged" : "Unacknowledged");
    assertThat(e.get("retain").asBoolean()).isEqualTo(x.retain());
    assertThat(e.get("severity").asInt()).isEqualTo(x.severity());
    assertThat(e.get("message").asText()).isEqualTo(x.message());
    assertThat(e.get("time_micros").asLong()).isEqualTo(x.tsMicros());
    assertThat(e.get("refresh").asBoolean()).isEqualTo(refresh);
  }

  private static JsonNode awaitEvent(TopicReader events, Predicate<JsonNode> match) {
    return awaitEvent(events, match, 0);
  }

  /** The first record from index {@code from} on that matches. */
  private static JsonNode awaitEvent(TopicReader events, Predicate<JsonNode> match, int from) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              List<JsonNode> all = parse(events.poll());
              return all.subList(Math.min(from, all.size()), all.size()).stream()
                  .filter(match)
                  .findFirst()
                  .orElse(null);
            },
            e -> e != null);
  }

  private static List<JsonNode> parse(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(
            r -> {
              try {
                return JSON.readTree(r.value());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }
}
