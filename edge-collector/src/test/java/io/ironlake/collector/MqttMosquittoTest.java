package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.MqttAuthConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.MqttTlsConfig;
import io.ironlake.collector.config.SourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.collector.internal.CollectorMetrics;
import io.ironlake.collector.internal.SourcePipeline;
import io.ironlake.collector.mqtt.MqttSource;
import io.ironlake.collector.seq.SeqStore;
import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.connectors.sparkplug.SparkplugHostState;
import io.ironlake.connectors.sparkplug.SparkplugMetric;
import io.ironlake.connectors.sparkplug.SparkplugPayloads;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.EmittedPoint;
import io.ironlake.simulator.MqttPayload;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT 5 source against a real Mosquitto (started here on free loopback ports: one TLS listener
 * with user/password, one plain anonymous listener for the test's publishers and the simulator) and
 * a real Kafka: TLS + login, a broker restart and a collector restart with QoS 1 messages published
 * meanwhile, two collectors on one shared subscription, Sparkplug B from the simulator, and
 * malformed input. Each counts what was published against what reached Kafka: nothing missing, no
 * point under two identities.
 */
@Tag("slow")
class MqttMosquittoTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "s3cret-Pa55";
  private static final String PATTERN = "factory/{site}/{area}/{line}/{device}/telemetry";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static MosquittoBroker broker;
  static int tlsPort;
  static Path ca;
  static Path passwordFile;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(MosquittoBroker.executable().isPresent(), "mosquitto not installed");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    openssl(
        certs,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=ironlake-test-ca");
    openssl(
        certs,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(certs.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl(
        certs,
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "ext.cnf");
    ca = certs.resolve("ca.crt");
    Path passwd = certs.resolve("passwd");
    run(certs, "mosquitto_passwd", "-b", "-c", passwd.toString(), "ironlake", PASSWORD);
    passwordFile = certs.resolve("password.txt");
    Files.writeString(passwordFile, PASSWORD + "\n");

    tlsPort = Plants.freePort();
    int plainPort = Plants.freePort();
    Path data = Files.createDirectories(dir.resolve("mosquitto"));
    broker =
        MosquittoBroker.start(
            data,
            plainPort,
            List.of(
                // As root, mosquitto would switch to its own user, which cannot read the key.
                "user " + System.getProperty("user.name"),
                "per_listener_settings true",
                "persistence true",
                "persistence_location " + data + "/",
                "max_queued_messages 0",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + ca,
                "certfile " + certs.resolve("server.crt"),
                "keyfile " + certs.resolve("server.key"),
                "password_file " + passwd,
                "allow_anonymous false",
                "listener " + plainPort + " 127.0.0.1",
                "allow_anonymous true"));
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (broker != null) {
      broker.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static void openssl(Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    run(cwd, cmd.toArray(String[]::new));
  }

  private static void run(Path cwd, String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(cwd.resolve("tools.log").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
  }

  /** An MQTT 5 source over TLS with the test user, QoS 1, a persistent session. */
  private static MqttSourceConfig tlsSource(String clientId, List<TopicMapping> topics) {
    return MqttSourceConfig.of("mqtt-tls", "ssl://127.0.0.1:" + tlsPort, clientId, topics)
        .withMqttVersion(MqttSourceConfig.MQTT_5)
        .withTls(MqttTlsConfig.trusting(ca))
        .withAuth(MqttAuthConfig.withPasswordFile("ironlake", passwordFile));
  }

  private static CollectorConfig collector(String id, String topics, SourceConfig source) {
    KafkaConfig k =
        new KafkaConfig(
            kafka.bootstrapServers(),
            "telemetry-" + topics,
            "deadletter-" + topics,
            5,
            "lz4",
            Map.of());
    return new CollectorConfig(id, dir.resolve("state-" + id), 1000, k, List.of(source));
  }

  private static MqttClient publisher(String id) throws Exception {
    MqttClient c = new MqttClient(broker.url(), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setMaxInflight(100);
    c.connect(o);
    return c;
  }

  /** Publishes messages {@code from..to-1}, two values each, QoS 1; returns their contents. */
  private static Set<String> publishRange(String prefix, int from, int to) throws Exception {
    Set<String> contents = new HashSet<>();
    MqttClient c = publisher("pub-" + prefix + "-" + from);
    try {
      for (int i = from; i < to; i++) {
        String device = "m" + (i % 4);
        long ts = 1_800_000_000_000L + i;
        String json =
            "{\"ts\": " + ts + ", \"values\": {\"power_kw\": " + i + ".5, \"n\": " + i + "}}";
        c.publish(
            "factory/" + prefix + "/assembly/line-1/" + device + "/telemetry",
            json.getBytes(StandardCharsets.UTF_8),
            1,
            false);
        contents.add(prefix + "/assembly/line-1/" + device + "|power_kw|" + ts * 1000);
        contents.add(prefix + "/assembly/line-1/" + device + "|n|" + ts * 1000);
      }
    } finally {
      c.disconnect();
      c.close();
    }
    return contents;
  }

  private static String content(TelemetryPoint p) {
    return p.devicePath() + "|" + p.tag() + "|" + p.tsMicros();
  }

  /** Content to the identities it reached Kafka under. */
  private static Map<String, Set<String>> identities(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TelemetryPoint p = TelemetryCodec.decode(r.value());
      out.computeIfAbsent(content(p), k -> new HashSet<>())
          .add(p.collectorId() + "/" + p.source() + "/" + p.seq());
    }
    return out;
  }

  private static void assertEachOnceUnderOneIdentity(
      Map<String, Set<String>> received, Set<String> expected) {
    assertThat(received.keySet())
        .as("what reached Kafka")
        .containsExactlyInAnyOrderElementsOf(expected);
    Map<String, Set<String>> doubled = new TreeMap<>(received);
    doubled.values().removeIf(ids -> ids.size() == 1);
    assertThat(doubled).as("points under more than one identity").isEmpty();
  }

  @Test
  void aWrongPasswordIsRefusedWithAClearErrorAndTheSourceKeepsTrying() throws Exception {
    Path wrong = dir.resolve("wrong-password.txt");
    Files.writeString(wrong, "not-the-password");
    MqttSourceConfig config =
        tlsSource("ironlake-wrong", List.of(TopicMapping.json(PATTERN, Map.of())))
            .withAuth(MqttAuthConfig.withPasswordFile("ironlake", wrong));
    try (Spool spool =
            Spool.open(SpoolConfig.defaults(dir.resolve("wrong-spool")), Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("wrong.seq"), 100)) {
      MqttSource source =
          new MqttSource(
              "edge-w",
              config,
              new SourcePipeline("mqtt-tls", seq, spool, new CollectorMetrics()),
              Clock.systemUTC());
      try {
        source.start();
        await().atMost(WAIT).until(() -> source.lastError().isPresent());
        assertThat(source.lastError().get())
            .startsWith(
                "Cannot connect to ssl://127.0.0.1:"
                    + tlsPort
                    + " (MQTT 5, client id"
                    + " ironlake-wrong, user ironlake): ")
            .containsAnyOf("refused the user name or password", "not authorized")
            .doesNotContain("not-the-password");
        assertThat(source.state()).isEqualTo(SourceState.CONNECTING);
      } finally {
        source.close();
      }
    }
  }

  @Test
  void tlsWithLoginSurvivesABrokerRestartAndACollectorRestartLosingAndDoublingNothing()
      throws Exception {
    kafka.createTopic("telemetry-r", 3);
    kafka.createTopic("deadletter-r", 1);
    CollectorConfig config =
        collector(
            "edge-r",
            "r",
            tlsSource("ironlake-edge-r", List.of(TopicMapping.json(PATTERN, Map.of()))));
    Set<String> expected = new HashSet<>();
    try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-r")) {
      try (EdgeCollector c = EdgeCollector.start(config, Clock.systemUTC())) {
        await().atMost(WAIT).until(c::ready);
        expected.addAll(publishRange("plant-r", 0, 300));
        // Mid-stream: messages may still be queued for or in flight to the collector.
        broker.restart();
        await().atMost(WAIT).until(c::ready);
        expected.addAll(publishRange("plant-r", 300, 600));
        await().atMost(WAIT).until(() -> identities(telemetry.poll()).size() >= 1200);
      }
      // The collector is away: the broker keeps these for its persistent session.
      expected.addAll(publishRange("plant-r", 600, 900));
      try (EdgeCollector c = EdgeCollector.start(config, Clock.systemUTC())) {
        await()
            .atMost(WAIT)
            .until(() -> identities(telemetry.poll()).keySet().containsAll(expected));
        assertThat(c.stats().deadLetters()).isZero();
      }
      assertEachOnceUnderOneIdentity(identities(telemetry.poll()), expected);
    }
  }

  @Test
  void twoCollectorsOnOneSharedSubscriptionSplitTheLoad() throws Exception {
    kafka.createTopic("telemetry-s", 3);
    kafka.createTopic("deadletter-s", 1);
    List<TopicMapping> topics = List.of(TopicMapping.json(PATTERN, Map.of()));
    CollectorConfig one =
        collector(
            "edge-s1", "s", tlsSource("ironlake-edge-s1", topics).withSharedGroup("ironlake"));
    CollectorConfig two =
        collector(
            "edge-s2", "s", tlsSource("ironlake-edge-s2", topics).withSharedGroup("ironlake"));
    try (EdgeCollector c1 = EdgeCollector.start(one, Clock.systemUTC());
        EdgeCollector c2 = EdgeCollector.start(two, Clock.systemUTC());
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-s")) {
      await().atMost(WAIT).until(() -> c1.ready() && c2.ready());
      Set<String> expected = publishRange("plant-s", 0, 400);
      await().atMost(WAIT).until(() -> identities(telemetry.poll()).keySet().containsAll(expected));
      assertEachOnceUnderOneIdentity(identities(telemetry.records()), expected);
      assertThat(c1.stats().pointsRead()).as("collector 1's share").isPositive();
      assertThat(c2.stats().pointsRead()).as("collector 2's share").isPositive();
      assertThat(c1.stats().pointsRead() + c2.stats().pointsRead()).isEqualTo(expected.size());
    }
  }

  @Test
  void aSparkplugPrimaryHostAnnouncesItsStateAndItsWillGoesOutWhenTheConnectionDies()
      throws Exception {
    kafka.createTopic("telemetry-h", 1);
    kafka.createTopic("deadletter-h", 1);
    String stateTopic = SparkplugHostState.topic("ironlake-it-host");
    try (TcpProxy proxy = new TcpProxy(tlsPort);
        StateWatcher watcher = new StateWatcher("watch-h", stateTopic);
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-h")) {
      MqttSourceConfig source =
          MqttSourceConfig.of(
                  "mqtt-tls",
                  "ssl://127.0.0.1:" + proxy.port(),
                  "ironlake-edge-h",
                  List.of(TopicMapping.json(PATTERN, Map.of())))
              .withMqttVersion(MqttSourceConfig.MQTT_3_1_1) // the other host test runs MQTT 5
              .withTls(MqttTlsConfig.trusting(ca))
              .withAuth(MqttAuthConfig.withPasswordFile("ironlake", passwordFile))
              .withCleanSession(true)
              .withSparkplugHostId("ironlake-it-host");
      EdgeCollector c = EdgeCollector.start(collector("edge-h", "h", source), Clock.systemUTC());
      long first;
      try {
        await().atMost(WAIT).until(c::ready);
        // Birth: online, retained, QoS 1, with the timestamp of the CONNECT's will.
        await()
            .atMost(WAIT)
            .until(() -> watcher.last().filter(SparkplugHostState::online).isPresent());
        first = watcher.last().orElseThrow().timestamp();
        assertThat(retained(stateTopic)).contains(new SparkplugHostState(true, first));

        // Its own STATE is not telemetry: data flows, nothing becomes a dead letter.
        Set<String> expected = publishRange("plant-h", 0, 10);
        await()
            .atMost(WAIT)
            .until(() -> identities(telemetry.poll()).keySet().containsAll(expected));
        assertThat(c.stats().deadLetters()).isZero();

        // An offline STATE on its topic while it is up (a late will of an earlier connection):
        // the collector says online again, so its edge nodes do not stop.
        watcher.publish(new SparkplugHostState(false, first));
        await()
            .atMost(WAIT)
            .until(() -> watcher.seen().size() >= 3 && watcher.last().orElseThrow().online());
        assertThat(watcher.last()).contains(new SparkplugHostState(true, first));

        // The connection dies without DISCONNECT: the broker publishes the will.
        proxy.cut();
        await().atMost(WAIT).until(() -> watcher.last().filter(st -> !st.online()).isPresent());
        assertThat(watcher.last()).contains(new SparkplugHostState(false, first));
        proxy.restore();
        // Back: a new CONNECT, a new will and a birth with its later timestamp.
        await()
            .atMost(WAIT)
            .until(
                () ->
                    watcher.last().filter(st -> st.online() && st.timestamp() > first).isPresent());
      } finally {
        c.close();
      }
      long second = watcher.last().orElseThrow().timestamp();
      // A clean stop publishes the death (a DISCONNECT does not fire the will).
      await().atMost(WAIT).until(() -> watcher.last().filter(st -> !st.online()).isPresent());
      assertThat(watcher.last()).contains(new SparkplugHostState(false, second));
      assertThat(retained(stateTopic)).contains(new SparkplugHostState(false, second));
    }
  }

  /** What a new subscriber to {@code topic} gets as the retained message, if any. */
  private static java.util.Optional<SparkplugHostState> retained(String topic) throws Exception {
    try (StateWatcher fresh = new StateWatcher("retained-" + System.nanoTime(), topic)) {
      await().atMost(WAIT).until(() -> !fresh.seen().isEmpty());
      assertThat(fresh.retainedFlags()).as("delivered as a retained message").containsOnly(true);
      return fresh.last();
    }
  }

  /** A client on the plain listener that records the STATE messages of one host. */
  private static final class StateWatcher implements AutoCloseable {
    private final MqttClient client;
    private final String topic;
    private final List<SparkplugHostState> seen = new CopyOnWriteArrayList<>();
    private final List<Boolean> retainedFlags = new CopyOnWriteArrayList<>();

    StateWatcher(String id, String topic) throws Exception {
      this.topic = topic;
      client = publisher(id);
      client.subscribe(
          topic,
          1,
          (t, m) -> {
            retainedFlags.add(m.isRetained());
            SparkplugHostState.parse(m.getPayload()).ifPresent(seen::add);
          });
    }

    List<SparkplugHostState> seen() {
      return seen;
    }

    List<Boolean> retainedFlags() {
      return retainedFlags;
    }

    java.util.Optional<SparkplugHostState> last() {
      List<SparkplugHostState> all = List.copyOf(seen);
      return all.isEmpty()
          ? java.util.Optional.empty()
          : java.util.Optional.of(all.get(all.size() - 1));
    }

    void publish(SparkplugHostState state) throws Exception {
      client.publish(topic, state.toJson(), 1, true);
    }

    @Override
    public void close() throws Exception {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void sparkplugFromTheSimulatedEdgeNodesArrivesWhole() throws Exception {
    kafka.createTopic("telemetry-sp", 3);
    kafka.createTopic("deadletter-sp", 1);
    CollectorConfig config =
        collector(
            "edge-sp",
            "sp",
            tlsSource(
                "ironlake-edge-sp",
                List.of(TopicMapping.sparkplug("spBv1.0/plant-sp/#", "assembly"))));
    try (EdgeCollector c = EdgeCollector.start(config, Clock.systemUTC());
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-sp")) {
      await().atMost(WAIT).until(c::ready);
      SimulatedFactory factory =
          SimulatedFactory.start(
              SimulatorConfig.builder()
                  .site("plant-sp")
                  .area("assembly")
                  .opcUaLines(0)
                  .mqttLines(1)
                  .machinesPerLine(2)
                  .speed(60)
                  .startTime(Instant.parse("2026-03-02T08:00:00Z"))
                  .duration(Duration.ofSeconds(60))
                  .mqttBrokerUrl(broker.url())
                  .mqttPayload(MqttPayload.SPARKPLUG_B)
                  .emitOnStart(false)
                  .build());
      Map<String, PointValue> emitted = new HashMap<>();
      try {
        factory.startEmitting();
        assertThat(factory.awaitFinished(WAIT)).isTrue();
        for (EmittedPoint e : factory.emissions().points()) {
          emitted.put(e.devicePath() + "|" + e.tag() + "|" + e.tsMicros(), e.value());
        }
        assertThat(emitted).hasSize((int) factory.emissions().total()).isNotEmpty();
        await().atMost(WAIT).until(() -> telemetry.poll().size() >= emitted.size());
      } finally {
        factory.close(); // NDEATH: every metric of the node and its devices becomes BAD
      }
      await()
          .atMost(WAIT)
          .until(
              () ->
                  telemetry.poll().stream()
                      .map(r -> TelemetryCodec.decode(r.value()))
                      .anyMatch(p -> p.quality() == Quality.BAD));
      Map<String, PointValue> good = new HashMap<>();
      List<TelemetryPoint> bad = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : telemetry.poll()) {
        TelemetryPoint p = TelemetryCodec.decode(r.value());
        if (p.quality() == Quality.GOOD) {
          assertThat(good.put(content(p), p.value())).as("once: %s", content(p)).isNull();
        } else {
          bad.add(p);
        }
      }
      assertThat(good).as("every emitted value, nothing else").isEqualTo(emitted);
      assertThat(bad)
          .allSatisfy(p -> assertThat(p.devicePath()).startsWith("plant-sp/assembly/line-1/"));
      assertThat(c.stats().deadLetters()).as("no dead letters").isZero();
    }
  }

  @Test
  void sparkplugEdgeNodesWaitForTheCollectorAsPrimaryHostAndLoseNothingWhileItIsAway()
      throws Exception {
    kafka.createTopic("telemetry-ph", 3);
    kafka.createTopic("deadletter-ph", 1);
    TcpProxy proxy = new TcpProxy(tlsPort);
    MqttSourceConfig source =
        MqttSourceConfig.of(
                "mqtt-tls",
                "ssl://127.0.0.1:" + proxy.port(),
                "ironlake-edge-ph",
                List.of(TopicMapping.sparkplug("spBv1.0/plant-ph/#", "assembly")))
            .withMqttVersion(MqttSourceConfig.MQTT_5)
            .withTls(MqttTlsConfig.trusting(ca))
            .withAuth(MqttAuthConfig.withPasswordFile("ironlake", passwordFile))
            .withCleanSession(true)
            .withSparkplugHostId("ironlake-ph");
    CollectorConfig config = collector("edge-ph", "ph", source);
    SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .site("plant-ph")
                .area("assembly")
                .opcUaLines(0)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(20)
                .startTime(Instant.parse("2026-03-02T08:00:00Z"))
                .duration(Duration.ofSeconds(120))
                .mqttBrokerUrl(broker.url())
                .mqttPayload(MqttPayload.SPARKPLUG_B)
                .sparkplugPrimaryHost("ironlake-ph")
                .emitOnStart(false)
                .build());
    try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-ph")) {
      try {
        // The edge node waits for its primary host: its first ticks are kept, not published.
        factory.startEmitting();
        await().atMost(WAIT).until(() -> factory.ticksEmitted() >= 10);
        try (EdgeCollector c = EdgeCollector.start(config, Clock.systemUTC())) {
          await().atMost(WAIT).until(c::ready);
          await().atMost(WAIT).until(() -> factory.ticksEmitted() >= 30);
          // The connection drops: the collector marks what it knew STALE, the broker publishes
          // the collector's will, and the node keeps its data until the collector is back.
          proxy.cut();
          await().atMost(WAIT).until(() -> stale(telemetry.poll()) >= 7 * 2 /* tags x machines */);
          long cut = factory.ticksEmitted();
          await().atMost(WAIT).until(() -> factory.ticksEmitted() >= cut + 10);
          proxy.restore();
          await().atMost(WAIT).until(c::ready);
          await().atMost(WAIT).until(() -> factory.ticksEmitted() >= cut + 20);
          assertThat(c.stats().deadLetters()).isZero();
        } // its death: the node keeps its data from now on
        long away = factory.ticksEmitted();
        await().atMost(WAIT).until(() -> factory.ticksEmitted() >= away + 10);
        try (EdgeCollector c = EdgeCollector.start(config, Clock.systemUTC())) {
          assertThat(factory.awaitFinished(WAIT)).isTrue();
          Set<String> emitted = new HashSet<>();
          factory
              .emissions()
              .points()
              .forEach(e -> emitted.add(e.devicePath() + "|" + e.tag() + "|" + e.tsMicros()));
          assertThat(emitted).hasSize((int) factory.emissions().total());
          await()
              .atMost(WAIT)
              .until(() -> goodContents(telemetry.poll()).keySet().containsAll(emitted));
          assertThat(c.stats().deadLetters()).isZero();
        }
      } finally {
        factory.close();
        proxy.close();
      }
      Map<String, Set<String>> good = goodContents(telemetry.poll());
      Map<String, PointValue> values = new HashMap<>();
      factory
          .emissions()
          .points()
          .forEach(e -> values.put(e.devicePath() + "|" + e.tag() + "|" + e.tsMicros(), e.value()));
      assertThat(good.keySet()).as("every emitted value, nothing else").isEqualTo(values.keySet());
      // Identities are never reused; a value twice is a birth repeating a metric's last value for
      // the collector's new run (dedup on device/tag/ts removes it).
      Set<String> identities = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : telemetry.records()) {
        TelemetryPoint p = TelemetryCodec.decode(r.value());
        assertThat(identities.add(p.collectorId() + "/" + p.source() + "/" + p.seq()))
            .as("identity once")
            .isTrue();
        if (p.quality() == Quality.GOOD) {
          assertThat(p.value()).as(content(p)).isEqualTo(values.get(content(p)));
        }
      }
    }
  }

  /** Points marked STALE (last value, Uncertain_LastUsableValue) after a lost connection. */
  private static long stale(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(r -> TelemetryCodec.decode(r.value()))
        .filter(p -> p.quality() == Quality.UNCERTAIN && p.statusCode() == 0x40900000L)
        .count();
  }

  /** GOOD points by content, with the identities each reached Kafka under. */
  private static Map<String, Set<String>> goodContents(
      List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TelemetryPoint p = TelemetryCodec.decode(r.value());
      if (p.quality() == Quality.GOOD) {
        out.computeIfAbsent(content(p), k -> new HashSet<>())
            .add(p.collectorId() + "/" + p.source() + "/" + p.seq());
      }
    }
    return out;
  }

  @Test
  void malformedInputsBecomeDeadLettersWithReasonsAndTheCollectorGoesOn() throws Exception {
    kafka.createTopic("telemetry-bad", 1);
    kafka.createTopic("deadletter-bad", 1);
    List<TopicMapping> topics =
        List.of(
            new TopicMapping(
                "bad/{device}/json", "json", Map.of(), "plant-b", "assembly", "line-1", null),
            new TopicMapping(
                "bad/{device}/plain/{tag}",
                TopicMapping.FORMAT_PLAIN,
                Map.of("temp_c", "°C"),
                "plant-b",
                "assembly",
                "line-1",
                null,
                null,
                TopicMapping.LAYOUT_VALUES,
                TopicMapping.TS_FIELD_DEFAULT,
                TopicMapping.TS_EPOCH_MS),
            TopicMapping.sparkplug("spBv1.0/plant-b/#", "assembly"));
    CollectorConfig config = collector("edge-bad", "bad", tlsSource("ironlake-edge-bad", topics));
    List<String> commands = new CopyOnWriteArrayList<>();
    MqttClient pub = publisher("pub-bad");
    pub.subscribe("spBv1.0/plant-b/NCMD/#", 0, (t, m) -> commands.add(t));
    byte[] big = new byte[2 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    byte[] unknownAlias =
        SparkplugPayloads.encode(
            1_800_000_000_000L,
            1L,
            List.of(SparkplugMetric.data(7, 1_800_000_000_000L, PointValue.of(1.0))));
    try (EdgeCollector c = EdgeCollector.start(config, Clock.systemUTC());
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-bad");
        TopicReader deadletters = new TopicReader(kafka.bootstrapServers(), "deadletter-bad")) {
      await().atMost(WAIT).until(c::ready);
      pub.publish(
          "bad/m1/json", "{\"ts\": 1800000000000, \"values\": {\"a\": 1".getBytes(), 1, false);
      pub.publish("bad/m1/json", "{\"ts\": \"soon\", \"values\": {\"a\": 1}}".getBytes(), 1, false);
      pub.publish(
          "bad/m1/json", "{\"ts\": 1800000000000, \"values\": {\"a\": [1]}}".getBytes(), 1, false);
      pub.publish(
          "bad/m1/plain/temp_c", new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF}, 1, false);
      pub.publish("bad/m1/json", big, 1, false);
      pub.publish("spBv1.0/plant-b/DDATA/line-9/m1", unknownAlias, 1, false);
      pub.publish(
          "bad/m1/json", "{\"ts\": 1800000000000, \"values\": {\"a\": 1}}".getBytes(), 1, false);
      pub.publish("bad/m1/plain/temp_c", "21.5".getBytes(), 1, false);

      await()
          .atMost(WAIT)
          .until(() -> deadletters.poll().size() >= 6 && telemetry.poll().size() >= 2);
      List<String> reasons =
          deadletters.records().stream()
              .map(r -> DeadLetter.fromRecord(r.headers(), r.value()).reason())
              .toList();
      assertThat(reasons)
          .satisfiesExactly(
              r -> assertThat(r).startsWith("Invalid JSON at 1:"),
              r ->
                  assertThat(r)
                      .isEqualTo("Invalid ts \"soon\": expected epoch milliseconds as an integer"),
              r ->
                  assertThat(r)
                      .isEqualTo(
                          "Invalid value of a: expected a number, boolean or string, got an array"),
              r -> assertThat(r).startsWith("Invalid plain payload: not UTF-8 text"),
              r ->
                  assertThat(r)
                      .startsWith("Payload too large: 2097152 bytes, max-payload-bytes is 1048576"),
              r -> assertThat(r).contains("line-9"));
      assertThat(telemetry.records())
          .extracting(r -> TelemetryCodec.decode(r.value()))
          .extracting(TelemetryPoint::tag, TelemetryPoint::value, TelemetryPoint::unit)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("a", PointValue.of(1L), ""),
              org.assertj.core.groups.Tuple.tuple("temp_c", PointValue.of(21.5), "°C"));
      await().atMost(WAIT).until(() -> commands.contains("spBv1.0/plant-b/NCMD/line-9"));
      assertThat(c.ready()).as("still running").isTrue();
    } finally {
      pub.disconnect();
      pub.close();
    }
  }
}
