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
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedEvent;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPC UA events and Alarms & Conditions: the simulator raises a state-change event per machine
 * state change and a "fault" alarm when a machine goes DOWN and when it recovers; every one of them
 * reaches {@code events.v1} once, keyed by its source node, with its severity, source and condition
 * state.
 */
class OpcUaEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyEventAndAlarmTheSimulatorRaisedIsOnTheEventsTopic() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        SimulatedFactory factory =
            SimulatedFactory.start(
                SimulatorConfig.builder()
                    .opcUaLines(1)
                    .mqttLines(0)
                    .machinesPerLine(3)
                    .speed(600)
                    .duration(Duration.ofHours(1))
                    .faultProbability(1.0)
                    .emitOnStart(false)
                    .build())) {
      kafka.createTopic(Topics.TELEMETRY, 1);
      kafka.createTopic(Topics.EVENTS, 1);
      List<NodeMapping> nodes = new ArrayList<>();
      for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
        SimTag state = m.tag("state").orElseThrow();
        nodes.add(
            new NodeMapping(state.nodeId(), m.site(), m.area(), m.line(), m.device(), "state", ""));
      }
      OpcUaSourceConfig opcua =
          OpcUaSourceConfig.of(
                  "opcua-plant", factory.opcUaEndpoint(), factory.plant().namespaceUri(), nodes)
              .withEvents(OpcUaEvents.SERVER);
      CollectorConfig config =
          new CollectorConfig(
              "edge-ev",
              dir.resolve("state"),
              CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT,
              KafkaConfig.of(kafka.bootstrapServers()),
              List.of(opcua));
      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader events = new TopicReader(kafka.bootstrapServers(), Topics.EVENTS)) {
        await().atMost(WAIT).until(collector::ready);
        await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() >= nodes.size());
        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();

        List<EmittedEvent> raised = factory.emissions().events();
        assertThat(raised).anyMatch(EmittedEvent::alarm).anyMatch(e -> !e.alarm());
        assertThat(raised).anyMatch(e -> e.alarm() && e.active());
        assertThat(raised).anyMatch(e -> e.alarm() && !e.active());
        await().atMost(WAIT).until(() -> events.poll().size() >= raised.size());
        collector.flush(Duration.ofSeconds(10));
        events.poll();

        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : events.records()) {
          JsonNode e = JSON.readTree(r.value());
          assertThat(byId.put(e.get("event_id").asText(), e)).as("event once").isNull();
          assertThat(new String(r.key(), StandardCharsets.UTF_8))
              .isEqualTo(e.get("source_node").asText());
        }
        assertThat(byId).hasSize(raised.size());
        for (EmittedEvent x : raised) {
          JsonNode e = byId.get(x.eventIdHex());
          assertThat(e).as("event %s", x).isNotNull();
          assertThat(e.get("source_name").asText()).isEqualTo(x.devicePath());
          assertThat(e.get("source_node").asText()).endsWith("s=" + x.devicePath());
          assertThat(e.get("severity").asInt()).isEqualTo(x.severity());
          assertThat(e.get("message").asText()).isEqualTo(x.message());
          assertThat(e.get("time_micros").asLong()).isEqualTo(x.tsMicros());
          assertThat(e.get("collector_id").asText()).isEqualTo("edge-ev");
          assertThat(e.get("source").asText()).isEqualTo("opcua-plant");
          if (x.alarm()) {
            assertThat(e.get("event_type").asText()).isEqualTo("i=2915");
            assertThat(e.get("condition_name").asText()).isEqualTo("fault");
            assertThat(e.get("active").asBoolean()).isEqualTo(x.active());
            assertThat(e.get("condition_id").asText()).isEqualTo(x.conditionId());
            assertThat(e.get("acked").asBoolean()).isEqualTo(x.acked()).isFalse();
            // Retained while active or unacknowledged: nobody acknowledges here.
            assertThat(e.get("retain").asBoolean()).isEqualTo(x.retain()).isTrue();
            assertThat(e.get("refresh").asBoolean()).isFalse();
          } else {
            assertThat(e.get("event_type").asText()).isEqualTo("i=2041");
            assertThat(e.get("condition_name").isNull()).isTrue();
            assertThat(e.get("active").isNull()).isTrue();
          }
        }
      }
    }
  }
}
