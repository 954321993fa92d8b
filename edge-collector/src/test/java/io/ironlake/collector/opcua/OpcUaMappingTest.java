package io.ironlake.collector.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.config.BrowseMapping;
import io.ironlake.collector.config.BrowsePattern;
import io.ironlake.collector.config.Deadband;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.internal.ServerLimits;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.EmittedPoint;
import io.ironlake.simulator.OpcUaServerOptions;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OPC UA source against the simulator's server: browse-based mapping of a large namespace,
 * operation limits, polling, deadbands. What the simulator emitted is compared with what the source
 * handed to its sink.
 */
class OpcUaMappingTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String AREA_PATH = "Objects/plant-sh/assembly";

  private static SimulatorConfig.Builder plant(int machines) {
    return SimulatorConfig.builder()
        .opcUaLines(1)
        .mqttLines(0)
        .machinesPerLine(machines)
        .emitOnStart(false);
  }

  private static BrowseMapping everyLine() {
    return new BrowseMapping(
        AREA_PATH,
        null,
        BrowsePattern.parse("{line}/{device}/{tag}"),
        "plant-sh",
        "assembly",
        null,
        null,
        "",
        Deadband.NONE,
        BrowseMapping.MAX_DEPTH_DEFAULT);
  }

  private static OpcUaSourceConfig browsing(SimulatedFactory factory) {
    return OpcUaSourceConfig.of(
            "opcua-plant", factory.opcUaEndpoint(), factory.plant().namespaceUri(), List.of())
        .withBrowse(List.of(everyLine()));
  }

  /** Emitted values by "device|tag|ts". */
  private static Map<String, PointValue> emitted(SimulatedFactory factory) {
    Map<String, PointValue> out = new HashMap<>();
    for (EmittedPoint e : factory.emissions().points()) {
      out.put(e.devicePath() + "|" + e.tag() + "|" + e.tsMicros(), e.value());
    }
    return out;
  }

  private static Map<String, PointValue> received(List<TelemetryPoint> points) {
    Map<String, PointValue> out = new HashMap<>();
    for (TelemetryPoint p : points) {
      out.put(p.devicePath() + "|" + p.tag() + "|" + p.tsMicros(), p.value());
    }
    return out;
  }

  private static Map<String, List<PointValue>> byNode(List<TelemetryPoint> points) {
    Map<String, List<PointValue>> out = new LinkedHashMap<>();
    for (TelemetryPoint p : points) {
      out.computeIfAbsent(p.devicePath() + "|" + p.tag(), k -> new ArrayList<>()).add(p.value());
    }
    return out;
  }

  @Test
  @Tag("slow")
  void browseMapsAHundredThousandVariablesAndDataStillFlows() {
    int bulk = 100_000;
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            plant(2)
                .speed(10)
                .duration(Duration.ofSeconds(10))
                .opcUaOptions(OpcUaServerOptions.defaults().withBulkVariables(bulk))
                .build())) {
      RecordingSink sink = new RecordingSink();
      long start = System.nanoTime();
      try (OpcUaSource source =
          new OpcUaSource("edge-1", browsing(factory), sink, Clock.systemUTC())) {
        source.start();
        await().atMost(WAIT).until(() -> source.state() == SourceState.READY);
        long readyMillis = (System.nanoTime() - start) / 1_000_000;
        int machineTags = 2 * 7;
        assertThat(source.mappedNodeCount()).isEqualTo(bulk + machineTags);
        assertThat(source.monitoredItemCount()).isEqualTo(bulk + machineTags);
        assertThat(source.subscriptionCount()).isEqualTo((bulk + machineTags + 999) / 1000);
        System.out.printf(
            "browse+subscribe of %d nodes: %d ms, %d CreateMonitoredItems requests%n",
            bulk + machineTags, readyMillis, source.createRequestCount());

        // Milo registers items with the namespace after answering: wait until values reach them.
        await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() >= bulk + machineTags);
        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();
        Map<String, PointValue> emitted = emitted(factory);
        await().atMost(WAIT).until(() -> sink.pointCount() >= emitted.size());
        assertThat(received(sink.points())).isEqualTo(emitted);
        assertThat(sink.points()).hasSize(emitted.size());
        assertThat(sink.points())
            .allSatisfy(
                p -> {
                  assertThat(p.site()).isEqualTo("plant-sh");
                  assertThat(p.line()).isEqualTo("line-1");
                });
      }
    }
  }

  @Test
  void lowOperationLimitsSplitItemsOverSubscriptionsAndEveryItemDelivers() {
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            plant(5)
                .speed(20)
                .duration(Duration.ofSeconds(20))
                .opcUaOptions(
                    OpcUaServerOptions.defaults()
                        .withBulkVariables(500)
                        .withLimits(50, 200, 20, 100))
                .build())) {
      RecordingSink sink = new RecordingSink();
      OpcUaSourceConfig config = browsing(factory).withLimits(200, 1000);
      try (OpcUaSource source = new OpcUaSource("edge-1", config, sink, Clock.systemUTC())) {
        source.start();
        await().atMost(WAIT).until(() -> source.state() == SourceState.READY);
        // The server's limits (50 per call, 20 per browse, 100 per read) win over the config's
        // 1000.
        assertThat(source.limits()).isEqualTo(new ServerLimits(50, 20, 100, 200));
        int nodes = 500 + 5 * 7;
        assertThat(source.mappedNodeCount()).isEqualTo(nodes);
        assertThat(source.monitoredItemCount()).isEqualTo(nodes);
        assertThat(source.subscriptionCount()).isEqualTo(3);
        // 200 + 200 + 135 items in batches of at most 50: 4 + 4 + 3 requests (more only when the
        // loaded server refused a request as a whole and it was sent again).
        assertThat(source.createRequestCount()).isGreaterThanOrEqualTo(11);

        await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() >= nodes);
        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();
        Map<String, PointValue> emitted = emitted(factory);
        await().atMost(WAIT).until(() -> sink.pointCount() >= emitted.size());
        assertThat(received(sink.points())).isEqualTo(emitted);
        assertThat(sink.points()).hasSize(emitted.size());
      }
    }
  }

  @Test
  void pollModeReadsInBatchesWithoutSubscriptionsAndSkipsRepeats() {
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            plant(2)
                .speed(2)
                .duration(Duration.ofSeconds(8))
                .opcUaOptions(
                    OpcUaServerOptions.defaults().withSubscriptions(false).withLimits(0, 0, 0, 5))
                .build())) {
      RecordingSink sink = new RecordingSink();
      OpcUaSourceConfig config =
          browsing(factory).withMode(OpcUaSourceConfig.Mode.POLL, 100).withLimits(1000, 1000);
      try (OpcUaSource source = new OpcUaSource("edge-1", config, sink, Clock.systemUTC())) {
        source.start();
        await().atMost(WAIT).until(() -> source.state() == SourceState.READY);
        assertThat(source.subscriptionCount()).isZero();
        // Before the first tick every node reads Bad_WaitingForInitialData: one BAD point each,
        // then the same status again and again is a repeat.
        await().atMost(WAIT).until(() -> sink.pointCount() >= 14);
        long readsBefore = source.readRequestCount();
        await().atMost(WAIT).until(() -> source.readRequestCount() >= readsBefore + 9);
        assertThat(sink.pointCount()).isEqualTo(14);
        assertThat(sink.points()).allSatisfy(p -> assertThat(p.quality()).isEqualTo(Quality.BAD));

        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();
        Map<String, PointValue> emitted = emitted(factory);
        await().atMost(WAIT).until(() -> sink.pointCount() >= 14 + emitted.size());
        long reads = source.readRequestCount();
        await().atMost(WAIT).until(() -> source.readRequestCount() >= reads + 9);
        List<TelemetryPoint> good =
            sink.points().stream().filter(p -> p.quality() == Quality.GOOD).toList();
        assertThat(received(good)).isEqualTo(emitted);
        assertThat(good).hasSize(emitted.size());
        // 14 nodes, at most 5 per Read: three requests per poll.
        assertThat(source.readRequestCount() % 3).isZero();
      }
    }
  }

  @Test
  void absoluteAndPercentDeadbandsReportOnlyMovesBeyondThem() {
    try (SimulatedFactory factory =
        SimulatedFactory.start(plant(2).speed(10).duration(Duration.ofMinutes(2)).build())) {
      List<NodeMapping> nodes = new ArrayList<>();
      Map<String, Double> deadbands = new LinkedHashMap<>();
      for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
        for (SimTag t : m.tags()) {
          Deadband d =
              switch (t.name()) {
                case "power_kw" -> Deadband.absolute(0.5);
                // EURange 0..100 °C: 0.2 % is 0.2 °C.
                case "temperature_c" -> Deadband.percent(0.2);
                default -> Deadband.NONE;
              };
          if (d.active()) {
            deadbands.put(
                m.devicePath() + "|" + t.name(),
                t.name().equals("power_kw") ? 0.5 : 0.2 / 100.0 * (100.0 - 0.0));
          }
          nodes.add(
              new NodeMapping(
                  t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit(), d));
        }
      }
      RecordingSink sink = new RecordingSink();
      OpcUaSourceConfig config =
          OpcUaSourceConfig.of(
              "opcua-plant", factory.opcUaEndpoint(), factory.plant().namespaceUri(), nodes);
      try (OpcUaSource source = new OpcUaSource("edge-1", config, sink, Clock.systemUTC())) {
        source.start();
        await().atMost(WAIT).until(() -> source.state() == SourceState.READY);
        await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() >= nodes.size());
        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();

        // What a deadband filter lets through, from the emitted sequence of each node.
        Map<String, List<PointValue>> expected = new LinkedHashMap<>();
        Map<String, Double> last = new HashMap<>();
        for (EmittedPoint e : factory.emissions().points()) {
          String key = e.devicePath() + "|" + e.tag();
          Double band = deadbands.get(key);
          if (band != null) {
            double v = e.value().asDouble();
            Double before = last.get(key);
            if (before != null && !(Math.abs(v - before) > band)) {
              continue;
            }
            last.put(key, v);
          }
          expected.computeIfAbsent(key, k -> new ArrayList<>()).add(e.value());
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(byNode(sink.points())).isEqualTo(expected));
        long emittedPower =
            factory.emissions().points().stream().filter(e -> e.tag().equals("power_kw")).count();
        long receivedPower = sink.points().stream().filter(p -> p.tag().equals("power_kw")).count();
        assertThat(receivedPower).isLessThan(emittedPower);
      }
    }
  }

  @Test
  void variablesWithoutAConfiguredUnitTakeTheServersEngineeringUnits() {
    try (SimulatedFactory factory =
        SimulatedFactory.start(plant(2).speed(10).duration(Duration.ofSeconds(2)).build())) {
      // One node listed with its own unit (it wins), the rest browsed without a unit.
      SimMachine first = factory.plant().machines(Channel.OPCUA).get(0);
      SimTag power =
          first.tags().stream().filter(t -> t.name().equals("power_kw")).findFirst().orElseThrow();
      NodeMapping listed =
          new NodeMapping(
              power.nodeId(),
              first.site(),
              first.area(),
              first.line(),
              first.device(),
              power.name(),
              "W",
              Deadband.NONE);
      OpcUaSourceConfig config =
          OpcUaSourceConfig.of(
                  "opcua-plant",
                  factory.opcUaEndpoint(),
                  factory.plant().namespaceUri(),
                  List.of(listed))
              .withBrowse(List.of(everyLine()));
      RecordingSink sink = new RecordingSink();
      try (OpcUaSource source = new OpcUaSource("edge-1", config, sink, Clock.systemUTC())) {
        source.start();
        await().atMost(WAIT).until(() -> source.state() == SourceState.READY);
        assertThat(source.mappedNodeCount()).isEqualTo(2 * 7);
        await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() >= 2 * 7);
        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();
        int emitted = factory.emissions().points().size();
        await().atMost(WAIT).until(() -> sink.pointCount() >= emitted);

        Map<String, Set<String>> units = new HashMap<>();
        for (TelemetryPoint p : sink.points()) {
          units.computeIfAbsent(p.devicePath() + "|" + p.tag(), k -> new HashSet<>()).add(p.unit());
        }
        assertThat(units).hasSize(2 * 7);
        for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
          for (SimTag t : m.tags()) {
            String expected =
                m.device().equals(first.device()) && t.name().equals("power_kw")
                    ? "W"
                    : t.unit(); // kW, kWh, mm, °C from the server; "" for the others
            assertThat(units.get(m.devicePath() + "|" + t.name()))
                .as(m.devicePath() + "|" + t.name())
                .containsExactly(expected);
          }
        }
      }
    }
  }
}
