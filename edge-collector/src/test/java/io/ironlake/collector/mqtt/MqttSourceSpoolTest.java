package io.ironlake.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.collector.internal.CollectorMetrics;
import io.ironlake.collector.internal.SourcePipeline;
import io.ironlake.collector.mqtt.internal.MqttConnection;
import io.ironlake.collector.seq.SeqStore;
import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.collector.spool.SpoolEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT source on a real spool: a message the broker sends again because the collector's
 * acknowledgement was lost is acknowledged again without new sequence numbers, also after a
 * restart; a new message that merely reuses a packet id is spooled; a message whose points cannot
 * fit into a segment becomes a dead letter instead of being refused forever.
 */
class MqttSourceSpoolTest {
  private static final String TOPIC = "factory/plant-sh/assembly/line-3/m01/telemetry";
  private static final byte[] PAYLOAD =
      "{\"ts\": 1700000000000, \"values\": {\"power_kw\": 1.5, \"state\": \"RUNNING\"}}"
          .getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private static final MqttSourceConfig CONFIG =
      MqttSourceConfig.of(
          "mqtt-gw",
          "tcp://127.0.0.1:1",
          "ironlake-test",
          List.of(TopicMapping.json("factory/{site}/{area}/{line}/{device}/telemetry", Map.of())));

  /** A source on the spool whose client connections {@code connections} makes. */
  private static MqttSource source(
      MqttSourceConfig config,
      Spool spool,
      SeqStore seq,
      MqttSource.ConnectionFactory connections) {
    return new MqttSource(
        "edge-1",
        config,
        new SourcePipeline("mqtt-gw", seq, spool, new CollectorMetrics()),
        Clock.systemUTC(),
        connections);
  }

  private MqttSource source(Spool spool, SeqStore seq) {
    SourcePipeline pipeline = new SourcePipeline("mqtt-gw", seq, spool, new CollectorMetrics());
    return new MqttSource("edge-1", CONFIG, pipeline, Clock.systemUTC());
  }

  /** Sends {@code count} new one-point messages with their own marks. */
  private static void fill(MqttSource source, int count) {
    for (int i = 0; i < count; i++) {
      byte[] p = ("{\"ts\": " + (1700000100000L + i) + ", \"values\": {\"f\": 1}}").getBytes();
      source.onMessage(TOPIC, p, MqttSource.mark(1000 + i, 1, TOPIC, p), false, () -> {});
    }
  }

  private static List<Long> spooledSeqs(Spool spool) throws InterruptedException {
    List<Long> seqs = new ArrayList<>();
    for (SpoolEntry e : spool.poll(1 << 20, Duration.ofMillis(50))) {
      if (e instanceof SpoolEntry.Points p) {
        for (int i = 0; i < p.pointCount(); i++) {
          seqs.add(p.firstSeq() + i);
        }
      }
    }
    return seqs;
  }

  @Test
  void aRedeliveryOfASpooledMessageIsOnlyAcknowledgedAgainEvenAfterARestart() throws Exception {
    SpoolConfig spoolConfig = SpoolConfig.defaults(dir.resolve("spool"));
    long mark = MqttSource.mark(7, 1, TOPIC, PAYLOAD);
    AtomicInteger acks = new AtomicInteger();
    try (Spool spool = Spool.open(spoolConfig, Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("mqtt-gw.seq"), 100)) {
      MqttSource source = source(spool, seq);
      source.onMessage(TOPIC, PAYLOAD, mark, false, acks::incrementAndGet);
      assertThat(acks).hasValue(1);
      // The broker did not get that ack and sends the message again, flagged DUP.
      source.onMessage(TOPIC, PAYLOAD, mark, true, acks::incrementAndGet);
      assertThat(acks).hasValue(2);
      assertThat(spooledSeqs(spool)).containsExactly(0L, 1L);
      assertThat(spool.stats().redeliveriesSkipped()).isEqualTo(1);
    } // A crash would do the same to the spool's files: they stay as written.

    try (Spool spool = Spool.open(spoolConfig, Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("mqtt-gw.seq"), 100)) {
      MqttSource source = source(spool, seq);
      source.onMessage(TOPIC, PAYLOAD, mark, true, acks::incrementAndGet);
      assertThat(acks).hasValue(3);
      assertThat(spool.stats().redeliveriesSkipped()).isEqualTo(1);

      // Past the resends a reconnect can bring, a message without DUP flag is new, also one that
      // happens to reuse packet id 7 with the same payload.
      fill(source, MqttSource.RESEND_WINDOW);
      source.onMessage(TOPIC, PAYLOAD, mark, false, acks::incrementAndGet);
      // A redelivery of a message that was never spooled (other payload): spooled.
      byte[] other = "{\"ts\": 1700000001000, \"values\": {\"power_kw\": 2.5}}".getBytes();
      source.onMessage(
          TOPIC, other, MqttSource.mark(8, 1, TOPIC, other), true, acks::incrementAndGet);
      assertThat(acks).hasValue(5);
      List<Long> seqs = spooledSeqs(spool);
      assertThat(seqs)
          .as("the two old points again (unsent), the fillers, then 3 new")
          .hasSize(2 + MqttSource.RESEND_WINDOW + 3);
      assertThat(seqs.subList(2, seqs.size()))
          .allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(2));
    }
  }

  @Test
  void aMessageTooLargeForASegmentBecomesADeadLetterAndIsAcknowledged() throws Exception {
    SpoolConfig small =
        SpoolConfig.defaults(dir.resolve("small")).withSegmentBytes(64 << 10).withMaxBytes(1 << 20);
    StringBuilder json = new StringBuilder("{\"ts\": 1700000000000, \"values\": {");
    for (int i = 0; i < 2000; i++) {
      json.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": ").append(i);
    }
    byte[] big = json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    AtomicInteger acks = new AtomicInteger();
    try (Spool spool = Spool.open(small, Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("big.seq"), 100)) {
      source(spool, seq)
          .onMessage(TOPIC, big, MqttSource.mark(9, 1, TOPIC, big), false, acks::incrementAndGet);
      assertThat(acks).hasValue(1);
      List<SpoolEntry> entries = spool.poll(1 << 20, Duration.ofMillis(50));
      assertThat(entries).singleElement().isInstanceOf(SpoolEntry.Letter.class);
      SpoolEntry.Letter letter = (SpoolEntry.Letter) entries.get(0);
      assertThat(letter.letter().reason())
          .startsWith("Cannot spool an entry of ")
          .endsWith("larger than spool.segment-bytes (65536)");
      assertThat(letter.letter().payload()).isEqualTo(big);
    }
  }

  @Test
  void aDupCopyThatOvertakesItsOriginalIsNotNumberedTwice() throws Exception {
    // Moquette 0.17 can resend a message (DUP) from its in-flight timer while its session thread
    // is still sending the original: the copy arrives first, then the original without DUP. This
    // is the redelivery that got new seq numbers in the spool replay benchmark.
    long mark = MqttSource.mark(7, 1, TOPIC, PAYLOAD);
    AtomicInteger acks = new AtomicInteger();
    try (Spool spool = Spool.open(SpoolConfig.defaults(dir.resolve("dup")), Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("dup.seq"), 100)) {
      MqttSource source = source(spool, seq);
      fill(source, MqttSource.RESEND_WINDOW); // long after the connect
      assertThat(spooledSeqs(spool)).hasSize(MqttSource.RESEND_WINDOW);
      source.onMessage(TOPIC, PAYLOAD, mark, true, acks::incrementAndGet);
      source.onMessage(TOPIC, PAYLOAD, mark, false, acks::incrementAndGet);
      assertThat(acks).hasValue(2);
      assertThat(spooledSeqs(spool)).as("one message, two points, numbered once").hasSize(2);
      assertThat(spool.stats().redeliveriesSkipped()).isEqualTo(1);

      // Once matched, the same mark without DUP again is a new message (a repeated payload).
      source.onMessage(TOPIC, PAYLOAD, mark, false, acks::incrementAndGet);
      assertThat(spooledSeqs(spool)).hasSize(2);

      // An original that comes more than DUP_FIRST_WINDOW messages after its copy is new.
      byte[] other = "{\"ts\": 1700000002000, \"values\": {\"power_kw\": 3.5}}".getBytes();
      long otherMark = MqttSource.mark(9, 1, TOPIC, other);
      source.onMessage(TOPIC, other, otherMark, true, acks::incrementAndGet);
      for (int i = 0; i < MqttSource.DUP_FIRST_WINDOW; i++) {
        byte[] p = ("{\"ts\": " + (1700000003000L + i) + ", \"values\": {\"a\": 1}}").getBytes();
        source.onMessage(TOPIC, p, MqttSource.mark(100 + i, 1, TOPIC, p), false, () -> {});
      }
      source.onMessage(TOPIC, other, otherMark, false, acks::incrementAndGet);
      assertThat(spooledSeqs(spool)).hasSize(1 + MqttSource.DUP_FIRST_WINDOW + 1);
      assertThat(spool.stats().redeliveriesSkipped()).isEqualTo(1);
    }
  }

  @Test
  void afterAReconnectAKnownMessageWithoutDupIsAResend() throws Exception {
    // Mosquitto 2.0, restarted from its persistence file, resends what was in flight to the
    // collector with the same packet ids but without the DUP flag.
    long mark = MqttSource.mark(7, 1, TOPIC, PAYLOAD);
    AtomicInteger acks = new AtomicInteger();
    try (Spool spool = Spool.open(SpoolConfig.defaults(dir.resolve("resend")), Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("resend.seq"), 100)) {
      MqttSource source = source(spool, seq);
      fill(source, MqttSource.RESEND_WINDOW);
      source.onMessage(TOPIC, PAYLOAD, mark, false, acks::incrementAndGet);
      assertThat(spooledSeqs(spool)).hasSize(MqttSource.RESEND_WINDOW + 2);

      source.connectionReset(); // the broker restarted; Paho reconnects
      source.onMessage(TOPIC, PAYLOAD, mark, false, acks::incrementAndGet);
      assertThat(acks).as("acknowledged again").hasValue(2);
      assertThat(spooledSeqs(spool)).as("not numbered again").isEmpty();
      assertThat(spool.stats().redeliveriesSkipped()).isEqualTo(1);
    }
  }

  @Test
  void resendsAfterAConnectAttemptGivenUpAreNotNumberedAgain() throws Exception {
    // Over MQTT 5 a resend's DUP flag does not reach the collector (Paho mqttv5 drops it). A
    // connect attempt the source gives up on (no answer in time) may have been delivering
    // already, and is torn down without connectionLost. The broker sends what it had in flight
    // again on the next
    // connection: those come first and must be known as resends there.
    int delivered = MqttSource.RESEND_WINDOW + 72;
    int inFlight = 80;
    ScriptedConnection scripted = new ScriptedConnection(delivered);
    try (Spool spool =
            Spool.open(SpoolConfig.defaults(dir.resolve("given-up")), Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("given-up.seq"), 100)) {
      MqttSource source =
          source(CONFIG, spool, seq, (config, listener) -> scripted.listening(listener));
      source.start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> scripted.connects.get() == 2);
        for (int id = delivered - inFlight + 1; id <= delivered; id++) {
          scripted.deliver(id);
        }
        scripted.deliver(delivered + 1);
      } finally {
        source.close();
      }
      assertThat(spooledSeqs(spool))
          .as("each message numbered once: the first connection's and one new")
          .hasSize(delivered + 1);
      assertThat(spool.stats().redeliveriesSkipped()).isEqualTo(inFlight);
      assertThat(scripted.acks).hasValue(delivered + inFlight + 1);
    }
  }

  @Test
  void aSparkplugHostThatStopsStillStoresWhatArrivesAfterItsDeath() throws Exception {
    // An edge node waiting for this host sends data until it has read the host's death; with a
    // clean session the broker keeps nothing for the host once it is gone.
    NodeAfterDeath node = new NodeAfterDeath();
    try (Spool spool = Spool.open(SpoolConfig.defaults(dir.resolve("host")), Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("host.seq"), 100)) {
      MqttSource source =
          source(
              CONFIG.withCleanSession(true).withSparkplugHostId("scada-1"),
              spool,
              seq,
              (config, listener) -> node.listening(listener));
      source.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> source.state() == SourceState.READY);
      source.close();
      assertThat(node.states).containsExactly("online", "offline");
      assertThat(node.deliveredAfterDeath)
          .as("the node's last message came after the death")
          .isTrue();
      assertThat(spooledSeqs(spool)).as("and was stored").containsExactly(0L);
      assertThat(node.acks).hasValue(1);
    }
  }

  /**
   * A connection to a broker with one edge node that waits for the host: it publishes a last
   * message 100 ms after it sees the host's death, and nothing once the connection is closed.
   */
  private static final class NodeAfterDeath extends TestConnection {
    final List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean deliveredAfterDeath;
    private volatile boolean closed;
    private final java.util.concurrent.ScheduledExecutorService network =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    @Override
    public void connect() {
      assertThat(listener.willForNextConnect()).isNotNull();
      listener.connected(false);
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retain) {
      boolean online =
          io.ironlake.connectors.sparkplug.SparkplugHostState.parse(payload).orElseThrow().online();
      states.add(online ? "online" : "offline");
      if (!online) {
        network.schedule(
            () -> {
              if (!closed) {
                byte[] p = "{\"ts\": 1700000300000, \"values\": {\"f\": 1}}".getBytes();
                listener.messageArrived(TOPIC, p, 41, 1, false);
                deliveredAfterDeath = true;
              }
            },
            100,
            java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      return true;
    }

    @Override
    public void close() {
      closed = true;
      network.shutdownNow();
    }
  }

  /**
   * A client connection whose first connect delivers {@code delivered} messages and is then given
   * up (as Paho's connect does when the broker's answer is late); the next connect succeeds.
   */
  /** A connection that the test drives: no broker, acknowledgements counted. */
  private abstract static class TestConnection implements MqttConnection {
    final AtomicInteger acks = new AtomicInteger();
    MqttConnection.Listener listener;

    MqttConnection listening(MqttConnection.Listener l) {
      this.listener = l;
      return this;
    }

    @Override
    public void subscribe(String[] filters, int qos) {}

    @Override
    public void unsubscribe(String[] filters) {}

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retain) {
      return false;
    }

    @Override
    public void ack(int messageId, int qos) {
      acks.incrementAndGet();
    }

    @Override
    public boolean reconnectsItself() {
      return false;
    }

    @Override
    public void close() {}
  }

  private static final class ScriptedConnection extends TestConnection {
    final AtomicInteger connects = new AtomicInteger();
    private final int delivered;

    ScriptedConnection(int delivered) {
      this.delivered = delivered;
    }

    /** Message {@code id}, one point; the same id always has the same payload. */
    void deliver(int id) {
      byte[] p = ("{\"ts\": " + (1700000200000L + id) + ", \"values\": {\"f\": 1}}").getBytes();
      listener.messageArrived(TOPIC, p, id, 1, false);
    }

    @Override
    public void connect() {
      if (connects.incrementAndGet() == 1) {
        for (int id = 1; id <= delivered; id++) {
          deliver(id);
        }
        throw new MqttClientException(
            "Cannot connect: timed out waiting for a response", 32000, null);
      }
      listener.connected(true);
    }
  }

  @Test
  void marksTellMessagesApartByPacketIdTopicAndPayload() {
    long a = MqttSource.mark(7, 1, TOPIC, PAYLOAD);
    assertThat(MqttSource.mark(7, 2, TOPIC, PAYLOAD)).isEqualTo(a);
    assertThat(MqttSource.mark(8, 1, TOPIC, PAYLOAD)).isNotEqualTo(a);
    assertThat(MqttSource.mark(7, 1, TOPIC + "x", PAYLOAD)).isNotEqualTo(a);
    assertThat(MqttSource.mark(7, 1, TOPIC, new byte[] {1})).isNotEqualTo(a);
    assertThat(MqttSource.mark(7, 0, TOPIC, PAYLOAD)).as("QoS 0: no mark").isEqualTo(-1);
  }
}
