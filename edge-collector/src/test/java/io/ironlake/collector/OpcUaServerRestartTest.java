package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaIdentity;
import io.ironlake.collector.config.OpcUaSecurityConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.OpcUaServerSecurity;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OPC UA source across a lost connection, against a secured simulator (Basic256Sha256,
 * SignAndEncrypt, username): what the collector promises is every value change the server publishes
 * to its monitored items, once, numbered 0..n-1 without a gap.
 *
 * <ul>
 *   <li>Server restart (sessions and subscriptions gone): the source reconnects with back-off and
 *       creates its subscriptions again. A restarted server has no history: values that changed
 *       while no subscription existed cannot be read back. The simulator keeps its ticks held from
 *       the stop until the new subscription's items exist on the server, so here every value
 *       emitted is one the contract covers.
 *   <li>Network drop (the session survives on the server): the source reconnects its channel,
 *       re-activates the same session and keeps its subscriptions; the server queued the values of
 *       the outage in the monitored items (queue-size 100, the outage is ~30 ticks), so every value
 *       emitted during the outage arrives, none twice.
 *   <li>Subscription dropped by the server without notice (the session stays): nothing comes, not
 *       even keep-alives; the source finds it silent after 1.5 keep-alive intervals, learns from
 *       the server that it is gone and creates it again. Ticks are held meanwhile, as for the
 *       restart.
 * </ul>
 *
 * <p>Both wait, before emitting, until the server has registered the monitored items: Milo creates
 * them in the CreateMonitoredItems response but registers them with the simulator's address space
 * just after, and a value published in between only reaches the item as its latest value (this, not
 * the collector, was the "loss before the restart" of the first version of this test).
 */
@org.junit.jupiter.api.Tag("slow")
class OpcUaServerRestartTest {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaServerRestartTest.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String POLICY = "Basic256Sha256";
  private static final String SOURCE = "opcua-plant";

  @TempDir static Path shared;
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(shared.resolve("kafka"));
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aServerRestartMidStreamLosesNothingAndDoublesNothing() throws Exception {
    String id = "edge-restart";
    try (SimulatedFactory factory = SimulatedFactory.start(simulator(30))) {
      String topic = "telemetry-restart";
      CollectorConfig config = config(id, factory, factory.opcUaEndpoint(), topic);
      int items = items(factory);
      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), topic)) {
        emitTenTicksSubscribed(collector, factory, items);

        // Mid-stream: hold the ticks and let the collector read what the server has queued (a
        // server that dies loses what it had not sent yet), then stop the server: sessions and
        // subscriptions are gone.
        long beforeStop = holdTicksAndReadWhatWasEmitted(factory, collector);
        factory.stopOpcUa();
        await().atMost(WAIT).until(() -> collector.sourceStates().get(SOURCE) != SourceState.READY);
        long restartNanos = System.nanoTime();
        factory.startOpcUaHeld();
        awaitSubscribed(collector, factory, items);
        long readyAgainMs = (System.nanoTime() - restartNanos) / 1_000_000;
        factory.releaseTicks();

        long total = finishAndReadEverything(factory, collector, telemetry);
        assertThat(total).isGreaterThan(beforeStop);
        LOG.info(
            "server restart mid-stream: emitted={}, emittedBeforeStop={}, sourceRead={},"
                + " records={}, readyAgainMs={}",
            total,
            beforeStop,
            collector.stats().pointsRead(),
            telemetry.records().size(),
            readyAgainMs);
        assertEverythingOnceInSeqOrder(telemetry, factory, collector, total);
      }
    }
  }

  @Test
  void aNetworkDropKeepsTheSessionAndLosesNothing() throws Exception {
    String id = "edge-drop";
    // 120 ticks (12 s at speed 10): ~10 before the drop, 100 during it (10 s: twice the
    // subscription lifetime Milo would ask for at a 100 ms publishing interval), the rest after.
    try (SimulatedFactory factory = SimulatedFactory.start(simulator(120));
        TcpProxy proxy = new TcpProxy(port(factory.opcUaEndpoint()))) {
      String topic = "telemetry-drop";
      String viaProxy =
          factory
              .opcUaEndpoint()
              .replace(":" + port(factory.opcUaEndpoint()) + "/", ":" + proxy.port() + "/");
      CollectorConfig config = config(id, factory, viaProxy, topic);
      int items = items(factory);
      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), topic)) {
        emitTenTicksSubscribed(collector, factory, items);

        // Mid-stream: the network goes away for >= 10 s (100 ticks) while the server goes on.
        proxy.cut();
        long cutAt = factory.ticksEmitted();
        await().atMost(WAIT).until(() -> collector.sourceStates().get(SOURCE) != SourceState.READY);
        await().atMost(WAIT).until(() -> factory.ticksEmitted() >= cutAt + 100);
        long duringOutage = factory.ticksEmitted() - cutAt;
        proxy.restore();
        await().atMost(WAIT).until(collector::ready);

        long total = finishAndReadEverything(factory, collector, telemetry);
        LOG.info(
            "network drop mid-stream: emitted={}, ticksDuringOutage>={}, sourceRead={},"
                + " records={}, serverItems={}",
            total,
            duringOutage,
            collector.stats().pointsRead(),
            telemetry.records().size(),
            factory.opcUaMonitoredItemCount());
        // The session and its subscription survived: no second set of items on the server.
        assertThat(factory.opcUaMonitoredItemCount()).isEqualTo(items);
        assertEverythingOnceInSeqOrder(telemetry, factory, collector, total);
      }
    }
  }

  @Test
  void aSubscriptionTheServerDropsWithoutNoticeIsCreatedAgainLosingNothing() throws Exception {
    String id = "edge-silent";
    try (SimulatedFactory factory = SimulatedFactory.start(simulator(30))) {
      String topic = "telemetry-silent";
      CollectorConfig config = config(id, factory, factory.opcUaEndpoint(), topic);
      int items = items(factory);
      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), topic)) {
        emitTenTicksSubscribed(collector, factory, items);

        // Mid-stream the server forgets the subscription and tells no one; the session stays.
        // Nothing comes any more, not even keep-alives. Ticks are held from there until the
        // collector has subscribed again: what changes while no subscription exists cannot be
        // read (see above).
        long beforeDrop = holdTicksAndReadWhatWasEmitted(factory, collector);
        assertThat(factory.dropOpcUaSubscriptions()).isPositive();
        long droppedNanos = System.nanoTime();
        await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() == 0);
        awaitSubscribed(collector, factory, items);
        long subscribedAgainMs = (System.nanoTime() - droppedNanos) / 1_000_000;
        factory.releaseTicks();

        long total = finishAndReadEverything(factory, collector, telemetry);
        assertThat(total).isGreaterThan(beforeDrop);
        LOG.info(
            "subscription dropped by the server: emitted={}, emittedBeforeDrop={}, sourceRead={},"
                + " records={}, subscribedAgainMs={}",
            total,
            beforeDrop,
            collector.stats().pointsRead(),
            telemetry.records().size(),
            subscribedAgainMs);
        assertThat(factory.opcUaMonitoredItemCount()).isEqualTo(items);
        assertEverythingOnceInSeqOrder(telemetry, factory, collector, total);
      }
    }
  }

  /**
   * Holds the simulator's ticks and waits until the collector read everything emitted so far (what
   * a server had not sent yet when it loses its subscriptions is not the collector's to lose).
   *
   * @return the points emitted so far
   */
  private static long holdTicksAndReadWhatWasEmitted(
      SimulatedFactory factory, EdgeCollector collector) {
    factory.holdTicks();
    long emitted = factory.emissions().total();
    await().atMost(WAIT).until(() -> collector.stats().pointsRead() >= emitted);
    return emitted;
  }

  /**
   * Waits for the simulator to finish and for every point it emitted to be on the topic, flushed.
   *
   * @return the points emitted
   */
  private static long finishAndReadEverything(
      SimulatedFactory factory, EdgeCollector collector, TopicReader telemetry) {
    assertThat(factory.awaitFinished(WAIT)).isTrue();
    long total = factory.emissions().total();
    await().atMost(WAIT).until(() -> telemetry.poll().size() >= total);
    assertThat(collector.flush(Duration.ofSeconds(30))).isTrue();
    telemetry.poll();
    return total;
  }

  /** The monitored items the collector subscribes: every tag of every OPC UA machine. */
  private static int items(SimulatedFactory factory) {
    return factory.plant().machines(Channel.OPCUA).size() * 7;
  }

  /** Once the collector is subscribed, starts the simulator and waits for its first 10 ticks. */
  private static void emitTenTicksSubscribed(
      EdgeCollector collector, SimulatedFactory factory, int items) {
    awaitSubscribed(collector, factory, items);
    factory.startEmitting();
    await().atMost(WAIT).until(() -> factory.ticksEmitted() >= 10);
  }

  /** Waits for READY and for the server to have registered every monitored item. */
  private static void awaitSubscribed(EdgeCollector collector, SimulatedFactory factory, int n) {
    await().atMost(WAIT).until(collector::ready);
    await().atMost(WAIT).until(() -> factory.opcUaMonitoredItemCount() >= n);
  }

  private static void assertEverythingOnceInSeqOrder(
      TopicReader telemetry, SimulatedFactory factory, EdgeCollector collector, long total) {
    Deliveries deliveries = new Deliveries(telemetry.records());
    assertThat(collector.stats().pointsRead()).isEqualTo(total);
    assertThat(deliveries.copies()).as("identities delivered twice").isZero();
    assertThat(
            telemetry.records().stream()
                .map(r -> TelemetryCodec.decode(r.value()))
                .map(TelemetryPoint::seq)
                .sorted()
                .toList())
        .isEqualTo(LongStream.range(0, total).boxed().toList());
    deliveries.assertExactlyTheEmittedPoints(factory.emissions());
  }

  private SimulatorConfig simulator(int seconds) throws java.io.IOException {
    return SimulatorConfig.builder()
        .opcUaLines(1)
        .mqttLines(0)
        .machinesPerLine(2)
        .speed(10)
        .duration(Duration.ofSeconds(seconds))
        .opcUaPort(Plants.freePort())
        .emitOnStart(false)
        .opcUaSecurity(
            OpcUaServerSecurity.insecure()
                .withPolicies(List.of(POLICY))
                .withUsers(Map.of("collector", "pw-1"))
                .withAnonymous(false)
                .withPkiDir(dir.resolve("server-pki")))
        .build();
  }

  /** A collector reading every tag of the simulator at {@code endpoint}, trusted both ways. */
  private CollectorConfig config(String id, SimulatedFactory factory, String endpoint, String topic)
      throws Exception {
    kafka.createTopic(topic, 1);
    kafka.createTopic(topic + "-dlq", 1);
    Path passwordFile = Files.writeString(dir.resolve("password"), "pw-1\n");
    Path stateDir = dir.resolve("state");
    OpcUaPki pki =
        OpcUaPki.open(
            EdgeCollector.pkiDir(stateDir), MiloClients.applicationUri(id), "collector " + id);
    Files.copy(pki.certificateFile(), factory.opcUaTrustedClientsDir().resolve(id + ".der"));
    Files.write(
        pki.trustedDir().resolve("simulator.der"), factory.opcUaServerCertificate().getEncoded());
    List<NodeMapping> nodes = new ArrayList<>();
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        nodes.add(
            new NodeMapping(
                t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
      }
    }
    // A surviving session loses nothing within queue-size: the queue holds every value of the
    // run (at most 120 ticks), so a slow machine's longer outage (reconnect back-off) loses
    // nothing either.
    OpcUaSourceConfig source =
        OpcUaSourceConfig.of(SOURCE, endpoint, factory.plant().namespaceUri(), nodes)
            .withSecurity(
                OpcUaSecurityConfig.of(
                    POLICY,
                    OpcUaSecurityConfig.defaultMode(POLICY),
                    new OpcUaIdentity.UserPassword("collector", passwordFile, null)))
            .withQueue(1_000, OpcUaSourceConfig.SUBSCRIPTION_LIFETIME_MS_DEFAULT);
    return new CollectorConfig(
        id,
        stateDir,
        CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT,
        new KafkaConfig(kafka.bootstrapServers(), topic, topic + "-dlq", 5, "lz4", Map.of()),
        List.of(source));
  }

  private static int port(String endpoint) {
    String rest = endpoint.substring(endpoint.lastIndexOf(':') + 1);
    return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
  }
}
