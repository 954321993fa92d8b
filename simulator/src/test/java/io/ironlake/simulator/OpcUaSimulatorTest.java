package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.connectors.record.PointValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Milo client subscribes to every variable of a small simulated plant. */
class OpcUaSimulatorTest {

  private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
  private static final Duration DURATION = Duration.ofSeconds(90);

  private static SimulatedFactory factory;
  private static OpcUaClient client;
  private static final Map<String, List<DataValue>> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void startFactoryAndSubscribe() throws Exception {
    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(0)
                .machinesPerLine(2)
                .speed(60)
                .startTime(START)
                .duration(DURATION)
                .idleProbability(0.9)
                .emitOnStart(false)
                .build());
    client = connect(factory.opcUaEndpoint());

    OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
    subscription.create();
    DataChangeFilter everyUpdate =
        new DataChangeFilter(
            DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (String nodeId : factory.plant().opcUaNodeIds()) {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(nodeId));
      item.setSamplingInterval(0.0);
      item.setQueueSize(uint(1_000));
      item.setFilter(everyUpdate);
      item.setDataValueListener(
          (i, value) ->
              received.computeIfAbsent(nodeId, k -> new CopyOnWriteArrayList<>()).add(value));
      items.add(item);
    }
    subscription.addMonitoredItems(items);
    subscription.synchronizeMonitoredItems();

    factory.startEmitting();
    assertThat(factory.awaitFinished(Duration.ofSeconds(30))).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  void servesTheDocumentedEndpointAndNodeIds() {
    assertThat(factory.opcUaEndpoint()).matches("opc\\.tcp://127\\.0\\.0\\.1:\\d+/ironlake");
    assertThat(factory.plant().namespaceUri()).isEqualTo("urn:ironlake:simulator");
    assertThat(factory.plant().opcUaNodeIds())
        .hasSize(2 * 7)
        .contains("ns=2;s=plant-sh/assembly/line-1/m01/power_kw")
        .contains("ns=2;s=plant-sh/assembly/line-1/m02/temperature_c");
  }

  @Test
  void subscriberReceivesEveryEmittedValueExactlyOnce() {
    Map<String, Map<String, Long>> counts = factory.emissions().counts();
    long ticks = DURATION.toSeconds();
    for (SimMachine machine : factory.plant().machines()) {
      for (SimTag tag : machine.tags()) {
        assertThat(counts.get(machine.devicePath()).get(tag.name())).isEqualTo(ticks);
      }
    }

    // The server sends each update once; the OPC UA client may still hand a notification message
    // over twice (a republish after a publish response it took for lost, on a loaded machine), so
    // what counts is each node's distinct values: exactly the emitted ones, in order.
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(received.values().stream().mapToLong(v -> distinct(v).size()).sum())
                    .isEqualTo(factory.emissions().total()));

    for (SimMachine machine : factory.plant().machines()) {
      List<EmittedPoint> emitted = factory.emissions().points(machine.devicePath());
      for (SimTag tag : machine.tags()) {
        List<DataValue> values = distinct(received.get(tag.nodeId()));
        List<EmittedPoint> expected =
            emitted.stream().filter(p -> p.tag().equals(tag.name())).toList();
        assertThat(values).as(tag.nodeId()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
          DataValue value = values.get(i);
          EmittedPoint point = expected.get(i);
          assertThat(value.statusCode().isGood()).isTrue();
          assertThat(micros(value.sourceTime().getJavaInstant())).isEqualTo(point.tsMicros());
          assertThat(toPointValue(value.value().value())).isEqualTo(point.value());
        }
      }
    }
  }

  /** The values in order of source time, each (source time, value) once. */
  private static List<DataValue> distinct(List<DataValue> values) {
    java.util.TreeMap<Long, DataValue> bySourceTime = new java.util.TreeMap<>();
    for (DataValue v : values) {
      DataValue before = bySourceTime.putIfAbsent(micros(v.sourceTime().getJavaInstant()), v);
      assertThat(before == null || before.value().equals(v.value()))
          .as("one value per source time")
          .isTrue();
    }
    return List.copyOf(bySourceTime.values());
  }

  @Test
  void timestampsFollowTheSimulatedClockWithoutGaps() {
    List<EmittedPoint> power =
        factory.emissions().points("plant-sh/assembly/line-1/m01").stream()
            .filter(p -> p.tag().equals("power_kw"))
            .toList();
    assertThat(power).hasSize((int) DURATION.toSeconds());
    for (int n = 0; n < power.size(); n++) {
      assertThat(power.get(n).tsMicros()).isEqualTo(micros(START) + n * 1_000_000L);
    }
    assertThat(factory.simulatedNow()).isEqualTo(START.plus(DURATION));
  }

  @Test
  void valueAttributeReadsTheLatestValue() throws Exception {
    SimMachine m02 = factory.plant().machine("plant-sh/assembly/line-1/m02").orElseThrow();
    SimTag total = m02.tag("total_count").orElseThrow();
    DataValue value = client.readValue(0, TimestampsToReturn.Both, NodeId.parse(total.nodeId()));
    List<EmittedPoint> emitted = factory.emissions().points(m02.devicePath());
    EmittedPoint last =
        emitted.stream().filter(p -> p.tag().equals("total_count")).reduce((a, b) -> b).get();
    assertThat(value.value().value()).isEqualTo(((PointValue.LongValue) last.value()).value());
    assertThat(micros(value.sourceTime().getJavaInstant())).isEqualTo(last.tsMicros());
  }

  @Test
  void lateSubscriberGetsTheLatestValueOnlyOnce() throws Exception {
    // The factory has finished: a new subscription gets the last value once, and nothing more.
    String nodeId = factory.plant().opcUaNodeIds().get(0);
    List<DataValue> late = new CopyOnWriteArrayList<>();
    OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
    subscription.create();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(NodeId.parse(nodeId));
    item.setQueueSize(uint(10));
    item.setDataValueListener((i, v) -> late.add(v));
    subscription.addMonitoredItem(item);
    subscription.synchronizeMonitoredItems();

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> late.size() == 1);
    Awaitility.await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> late.size() == 1);
    subscription.delete();
    List<DataValue> all = received.get(nodeId);
    assertThat(late.get(0).value()).isEqualTo(all.get(all.size() - 1).value());
  }

  private static OpcUaClient connect(String endpoint) throws Exception {
    OpcUaClient client =
        OpcUaClient.create(
            endpoint,
            endpoints ->
                endpoints.stream()
                    .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                    .findFirst(),
            transport -> {},
            config ->
                config
                    .setApplicationName(LocalizedText.english("ironlake simulator test"))
                    .setApplicationUri("urn:ironlake:simulator:test"));
    client.connect();
    return client;
  }

  private static PointValue toPointValue(Object value) {
    if (value instanceof Double d) {
      return PointValue.of(d);
    } else if (value instanceof Long l) {
      return PointValue.of(l);
    }
    return PointValue.of(String.valueOf(value));
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
  }
}
