package io.ironlake.collector.mqtt;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.TelemetrySource;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.collector.config.TopicPattern;
import io.ironlake.collector.internal.Backoff;
import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.internal.PointSink;
import io.ironlake.collector.mqtt.internal.MqttConnection;
import io.ironlake.collector.mqtt.internal.PahoV3Connection;
import io.ironlake.collector.mqtt.internal.PahoV5Connection;
import io.ironlake.collector.spool.SpoolClosedException;
import io.ironlake.collector.spool.SpoolEntryTooLargeException;
import io.ironlake.collector.spool.SpoolException;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.connectors.sparkplug.SparkplugHostState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads telemetry from an MQTT broker, over MQTT 5 (Paho mqttv5) or 3.1.1 (Paho mqttv3): subscribes
 * to each configured pattern (as a shared subscription when {@code shared-group} is set), takes the
 * ISA-95 path from the topic, and turns every value of a payload (JSON, plain text or Sparkplug B)
 * into a point. Payloads that cannot become points go whole to the dead-letter topic with the
 * reason; the source goes on.
 *
 * <p>Messages are acknowledged to the broker (manual acks) only once their points or dead letter
 * are in the spool, so a QoS 1/2 message the collector had not stored comes again after a
 * reconnect. Each stored message carries a mark (packet id and CRC32C of topic and payload); a
 * message the broker sends again whose mark is in the spool was stored before its acknowledgement
 * got lost, and is acknowledged without being numbered again. A message is taken as sent again when
 * it carries the DUP flag, or when it is among the first {@link #RESEND_WINDOW} messages of a
 * connection. So is the original of a DUP copy that overtook it (a broker that resends a message
 * while it is still sending it).
 */
public final class MqttSource implements TelemetrySource {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);

  /** A dead letter keeps at most this much of an oversized payload, so Kafka accepts it. */
  static final int DEADLETTER_MAX_BYTES = 512 * 1024;

  /**
   * How many messages after a DUP copy that was stored as new its original (no DUP flag, same mark)
   * is still recognised as that copy's original rather than a new message.
   */
  static final int DUP_FIRST_WINDOW = 64;

  /**
   * How many messages at the start of a connection may be resends of messages the broker had in
   * flight to the collector on an earlier one. A broker resends those first, with their packet ids,
   * before anything new (MQTT 3.1.1 4.4, MQTT 5 4.4). Their DUP flag cannot be relied on: Paho
   * mqttv5 (1.2.5) does not pass it on to the application (its {@code MqttPublish.getMessage()}
   * builds a message without it), so over MQTT 5 this window is the only way to tell a resend. MQTT
   * 5 connections ask for at most {@link #RECEIVE_MAXIMUM} in flight, fewer than this.
   */
  static final int RESEND_WINDOW = 128;

  /** The MQTT 5 receive maximum: how many QoS 1/2 messages the broker may have in flight to us. */
  public static final int RECEIVE_MAXIMUM = 100;

  private final String collectorId;
  private volatile MqttSourceConfig config;
  private final PointSink sink;
  private final Clock clock;
  private volatile List<TopicRoute> routes;

  /** Filters a remap dropped that the broker's session may still hold; unsubscribed when ready. */
  private final Set<String> staleFilters = new LinkedHashSet<>();

  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private final ScheduledExecutorService executor;
  private final Map<Long, Long> dupFirst = new LinkedHashMap<>();

  /**
   * Topics seen and what they matched: a gateway publishes on the same few topics again and again,
   * and matching splits the topic and builds a map each time. Only used under this source's lock.
   */
  private final Map<String, Matched> matchedTopics = new java.util.HashMap<>();

  /** The most topics {@link #matchedTopics} keeps before it starts over. */
  static final int MATCHED_TOPICS_MAX = 10_000;

  private long messages;

  /** The UTC time of the last CONNECT of a Sparkplug host, in its will and its STATE messages. */
  private volatile long hostSessionTimestamp;

  /** A Sparkplug host closing reads on until this long passes without a message... */
  static final long DRAIN_QUIET_NANOS = 500_000_000L;

  /** ...but no longer than this. */
  static final long DRAIN_MAX_NANOS = 5_000_000_000L;

  private volatile long lastMessageNanos;
  private volatile long messagesSeen;

  private volatile boolean reconnecting = true;
  private long resendWindowStart;
  private volatile MqttConnection connection;
  private volatile SourceState state = SourceState.CONNECTING;
  private volatile String lastError;
  private String lastLoggedError;
  private long spoolErrors;

  /** Makes the client connection of a source: Paho mqttv5 or mqttv3, after the config. */
  interface ConnectionFactory {
    MqttConnection open(MqttSourceConfig config, MqttConnection.Listener listener);
  }

  private static final ConnectionFactory PAHO =
      (config, listener) ->
          config.mqtt5()
              ? new PahoV5Connection(config, listener)
              : new PahoV3Connection(config, listener);

  private final ConnectionFactory connections;

  /**
   * A Sparkplug host's own STATE topic, or null when the source is not a host (a remap cannot
   * change the host id, see {@link #canRemap}).
   */
  private final String hostStateTopic;

  public MqttSource(String collectorId, MqttSourceConfig config, PointSink sink, Clock clock) {
    this(collectorId, config, sink, clock, PAHO);
  }

  MqttSource(
      String collectorId,
      MqttSourceConfig config,
      PointSink sink,
      Clock clock,
      ConnectionFactory connections) {
    this.connections = connections;
    this.hostStateTopic =
        config.sparkplugHost() ? SparkplugHostState.topic(config.sparkplugHostId()) : null;
    this.collectorId = collectorId;
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.routes = routes(config, List.of());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "ironlake-mqtt-" + config.name());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public SourceState state() {
    return state;
  }

  /**
   * Why the last connect or subscribe failed (e.g. "Cannot connect to ssl://...: the broker refused
   * the user name or password (reason code 134)"); empty once connected and subscribed.
   */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  @Override
  public void start() {
    LOG.info(
        "mqtt source starting: source={}, broker={}, mqttVersion={}, clientId={}, user={},"
            + " tls={}, filters={}",
        config.name(),
        config.broker(),
        config.mqttVersion(),
        config.clientId(),
        config.auth() == null ? "(none)" : config.auth().username(),
        config.tls() != null,
        Arrays.toString(filters()));
    executor.execute(this::connect);
  }

  /** The subscription filters, as {@code $share/<group>/<filter>} with a shared group. */
  String[] filters() {
    return filters(config, routes);
  }

  private static String[] filters(MqttSourceConfig config, List<TopicRoute> routes) {
    String prefix = config.sharedGroup() == null ? "" : "$share/" + config.sharedGroup() + "/";
    Set<String> filters = new LinkedHashSet<>();
    routes.forEach(r -> filters.add(prefix + r.pattern().mqttFilter()));
    if (config.sparkplugHost()) {
      // A host application watches its own STATE topic (Sparkplug 3.0): see onOwnState.
      filters.add(SparkplugHostState.topic(config.sparkplugHostId()));
    }
    return filters.toArray(String[]::new);
  }

  /** A route per mapping; a mapping that is unchanged keeps its route (and Sparkplug births). */
  private List<TopicRoute> routes(MqttSourceConfig c, List<TopicRoute> keep) {
    List<TopicRoute> r = new ArrayList<>();
    for (TopicMapping t : c.topics()) {
      TopicRoute same = null;
      for (TopicRoute k : keep) {
        if (k.mapping().equals(t)) {
          same = k;
          break;
        }
      }
      r.add(
          same != null
              ? same
              : new TopicRoute(TopicPattern.parse(t.pattern()), t, c.name(), clock));
    }
    return List.copyOf(r);
  }

  /**
   * Whether {@link #remap} can take {@code next} on the running connection: only its topic mappings
   * or largest payload differ (same broker, client id, login, TLS and session).
   */
  public boolean canRemap(MqttSourceConfig next) {
    MqttSourceConfig c = config;
    return c.name().equals(next.name())
        && c.broker().equals(next.broker())
        && c.mqttVersion().equals(next.mqttVersion())
        && c.clientId().equals(next.clientId())
        && c.qos() == next.qos()
        && c.cleanSession() == next.cleanSession()
        && c.sessionExpirySeconds() == next.sessionExpirySeconds()
        && c.keepAliveSeconds() == next.keepAliveSeconds()
        && java.util.Objects.equals(c.sharedGroup(), next.sharedGroup())
        && java.util.Objects.equals(c.sparkplugHostId(), next.sparkplugHostId())
        && java.util.Objects.equals(c.auth(), next.auth())
        && java.util.Objects.equals(c.tls(), next.tls());
  }

  /**
   * Takes new topic mappings without reconnecting, so nothing the broker has in flight to the
   * collector is lost: from the next message on the new mappings decode (a message is decoded
   * wholly under the old or the new ones), then the connection subscribes to the new filters and
   * unsubscribes from the dropped ones. While both are subscribed the broker may deliver a message
   * twice (once per matching filter); the handover sink drops such repeats. Waits up to {@code
   * timeout} for the broker; a filter change it could not make is retried at the next connect.
   *
   * @throws IllegalArgumentException when {@link #canRemap} is false
   */
  public void remap(MqttSourceConfig next, Duration timeout) {
    if (!canRemap(next)) {
      throw new IllegalArgumentException(
          "Cannot remap MQTT source " + name() + ": its connection settings changed");
    }
    String[] before;
    String[] after;
    synchronized (this) {
      before = filters();
      List<TopicRoute> r = routes(next, routes);
      after = filters(next, r);
      routes = r;
      config = next;
      matchedTopics.clear();
    }
    Set<String> added = new LinkedHashSet<>(Arrays.asList(after));
    added.removeAll(Arrays.asList(before));
    Set<String> dropped = new LinkedHashSet<>(Arrays.asList(before));
    dropped.removeAll(Arrays.asList(after));
    synchronized (staleFilters) {
      staleFilters.removeAll(added);
      staleFilters.addAll(dropped);
    }
    LOG.info(
        "mqtt source remapped on its connection: source={}, subscribing={}, unsubscribing={}",
        name(),
        added,
        dropped);
    java.util.concurrent.Future<?> done =
        executor.submit(
            () -> {
              MqttConnection c = connection;
              if (c == null || state != SourceState.READY || added.isEmpty()) {
                unsubscribeStale(); // not connected: connected() subscribes to everything
                return;
              }
              try {
                c.subscribe(added.toArray(String[]::new), config.qos());
              } catch (MqttClientException e) {
                failed(e.getMessage());
                later(this::subscribe);
                return;
              }
              unsubscribeStale();
            });
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.warn(
          "mqtt source remap: broker slow to (un)subscribe, going on: source={}, waitedMs={}",
          name(),
          timeout.toMillis());
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("mqtt source remap failed: source={}, error={}", name(), e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Unsubscribes the filters a remap dropped; on failure they stay for the next try. */
  private void unsubscribeStale() {
    MqttConnection c = connection;
    String[] stale;
    synchronized (staleFilters) {
      stale = staleFilters.toArray(String[]::new);
    }
    if (c == null || stale.length == 0 || state != SourceState.READY) {
      return;
    }
    try {
      c.unsubscribe(stale);
      synchronized (staleFilters) {
        staleFilters.removeAll(Arrays.asList(stale));
      }
      LOG.info("mqtt source unsubscribed: source={}, filters={}", name(), Arrays.toString(stale));
    } catch (MqttClientException e) {
      LOG.warn(
          "mqtt source cannot unsubscribe, retrying at the next connect: source={}, filters={},"
              + " error={}",
          name(),
          Arrays.toString(stale),
          e.getMessage());
    }
  }

  /**
   * Connects: the first time, and again after a lost connection unless the client reconnects by
   * itself (Paho mqttv3's automatic reconnect).
   */
  private void connect() {
    if (state == SourceState.CLOSED) {
      return;
    }
    try {
      if (connection == null) {
        connection = connections.open(config, new Listener());
      }
      // Whatever comes from here on is on a new connection, and the broker sends its resends first.
      // Not only on a lost connection: an attempt given up (timed out waiting for the broker) may
      // have been delivering, and is torn down without connectionLost.
      connectionReset();
      connection.connect();
      // Subscribing happens in connected(), for the first connection and every reconnect.
    } catch (MqttClientException e) {
      if (state == SourceState.CLOSED) {
        return; // closing interrupted the attempt
      }
      failed(e.getMessage());
      later(this::connect);
    }
  }

  /** Runs a task after the next back-off delay, unless the source is closing. */
  private void later(Runnable task) {
    try {
      executor.schedule(task, backoff.next().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("mqtt source closing, task dropped: source={}", config.name());
    }
  }

  /** Logs a failure at ERROR when it is new, at DEBUG when it repeats. */
  private void failed(String message) {
    lastError = message;
    if (!message.equals(lastLoggedError)) {
      lastLoggedError = message;
      LOG.error(
          "mqtt source cannot connect, retrying with back-off: source={}, error={}",
          config.name(),
          message);
    } else {
      LOG.debug("mqtt source still failing: source={}, error={}", config.name(), message);
    }
  }

  private void subscribe() {
    MqttConnection c = connection;
    if (c == null || state == SourceState.CLOSED) {
      return;
    }
    String[] filters = filters();
    try {
      c.subscribe(filters, config.qos());
      if (config.sparkplugHost()) {
        publishHostState(c, true);
      }
      backoff.reset();
      lastError = null;
      lastLoggedError = null;
      state = SourceState.READY;
      LOG.info(
          "mqtt source ready: source={}, broker={}, filters={}",
          config.name(),
          config.broker(),
          Arrays.toString(filters));
    } catch (MqttClientException e) {
      failed(e.getMessage());
      later(this::subscribe);
      return;
    }
    unsubscribeStale();
  }

  /** The mark of a QoS 1/2 message: its packet id and the CRC32C of its topic and payload. */
  static long mark(int messageId, int qos, String topic, byte[] payload) {
    if (qos == 0) {
      return PointSink.NO_MARK;
    }
    CRC32C crc = new CRC32C();
    crc.update(topic.getBytes(StandardCharsets.UTF_8));
    crc.update(0);
    crc.update(payload);
    return ((long) (messageId & 0xFFFF) << 32) | crc.getValue();
  }

  /**
   * Decodes one message and spools its points (or a dead letter); acks it once they are stored. A
   * redelivered message that is in the spool already is only acked.
   */
  synchronized void onMessage(
      String topic, byte[] payload, long mark, boolean duplicate, Runnable ack) {
    if (hostStateTopic != null) {
      lastMessageNanos = System.nanoTime();
      messagesSeen++;
      if (topic.equals(hostStateTopic)) {
        onOwnState(payload);
        ack.run();
        return;
      }
    }
    long n = ++messages;
    if (mark != PointSink.NO_MARK && isRedelivery(mark, duplicate, n)) {
      LOG.debug(
          "mqtt redelivery of a spooled message acknowledged again: source={}, topic={}, mark={},"
              + " dup={}",
          name(),
          topic,
          Long.toHexString(mark),
          duplicate);
      sink.redeliverySkipped();
      ack.run();
      return;
    }
    try {
      decodeAndSpool(topic, payload, mark, ack);
      if (duplicate && mark != PointSink.NO_MARK) {
        // A DUP copy stored as new: if its original is still on the way, it must not count twice.
        dupFirst.put(mark, n);
      }
    } catch (SpoolEntryTooLargeException e) {
      // It would never fit: keep the raw payload as a dead letter rather than refuse it forever.
      try {
        deadLetter(topic, payload, e.getMessage(), Micros.now(clock), mark, ack);
      } catch (SpoolException again) {
        LOG.error(
            "mqtt message dropped, too large even as a dead letter: source={}, topic={},"
                + " bytes={}, error={}",
            name(),
            topic,
            payload.length,
            again.getMessage());
        ack.run();
      }
    } catch (SpoolClosedException e) {
      LOG.debug("mqtt message not stored, spool closing: source={}, topic={}", name(), topic);
    } catch (SpoolException e) {
      // Not acknowledged: the broker sends it again after the next reconnect.
      long errors = ++spoolErrors;
      if ((errors & (errors - 1)) == 0) {
        LOG.error(
            "mqtt message not stored, not acknowledged: source={}, topic={}, errors={}, error={}",
            name(),
            topic,
            errors,
            e.getMessage());
      }
    }
  }

  /**
   * Whether a message was stored already: a spooled message sent again (DUP flag, or within the
   * first {@link #RESEND_WINDOW} messages of a connection), or the original of a DUP copy that
   * arrived (and was stored) first, within the last {@link #DUP_FIRST_WINDOW} messages. A message
   * without the DUP flag is otherwise new, even with a known mark (brokers reuse packet ids,
   * gateways repeat payloads).
   */
  private boolean isRedelivery(long mark, boolean duplicate, long n) {
    dupFirst.values().removeIf(at -> n - at > DUP_FIRST_WINDOW);
    if (reconnecting) {
      reconnecting = false;
      resendWindowStart = n;
    }
    if (duplicate || n - resendWindowStart < RESEND_WINDOW) {
      return sink.alreadySpooled(mark);
    }
    return dupFirst.remove(mark) != null && sink.alreadySpooled(mark);
  }

  /**
   * After a lost connection, the metrics of the Sparkplug edge nodes and devices known online
   * become STALE points with their last values (see {@code SparkplugDecoder#connectionLost}).
   */
  private synchronized void markSparkplugStale() {
    long now = Micros.now(clock);
    List<TelemetryPoint> points = new ArrayList<>();
    for (TopicRoute r : routes) {
      points.addAll(r.staleAfterLostConnection(now, collectorId));
    }
    if (points.isEmpty()) {
      return;
    }
    try {
      sink.emit(points, PointSink.NO_MARK, () -> {});
    } catch (SpoolException e) {
      LOG.warn(
          "sparkplug stale points not stored: source={}, points={}, error={}",
          name(),
          points.size(),
          e.getMessage());
    }
  }

  /**
   * The next message opens the window in which a known mark without DUP is a resend: called when a
   * connection is lost and before each connect.
   */
  void connectionReset() {
    reconnecting = true;
  }

  private void decodeAndSpool(String topic, byte[] payload, long mark, Runnable ack) {
    long receivedAt = Micros.now(clock);
    Matched matched = matchedTopics.get(topic);
    if (matched == null) {
      matched = match(topic);
      if (matchedTopics.size() >= MATCHED_TOPICS_MAX) {
        matchedTopics.clear(); // a topic tree larger than the cache: start over, stay bounded
      }
      matchedTopics.put(topic, matched);
    }
    TopicRoute route = matched.route();
    Map<String, String> captured = matched.captured();
    if (route == null) {
      deadLetter(topic, payload, "Topic matches no configured pattern", receivedAt, mark, ack);
      return;
    }
    TopicRoute.Decoded decoded;
    try {
      decoded =
          route.decode(topic, captured, payload, config.maxPayloadBytes(), receivedAt, collectorId);
    } catch (InvalidPayloadException e) {
      deadLetter(topic, payload, e.getMessage(), receivedAt, mark, ack);
      return;
    }
    decoded.rebirth().ifPresent(this::requestRebirth);
    if (decoded.deadLetterReason().isPresent()) {
      deadLetter(topic, payload, decoded.deadLetterReason().get(), receivedAt, mark, ack);
      return;
    }
    List<TelemetryPoint> points = decoded.points();
    if (points.isEmpty()) {
      ack.run();
      return;
    }
    sink.emit(points, mark, ack);
  }

  /** The route a topic matched first and what it captured; no route when none matched. */
  private record Matched(TopicRoute route, Map<String, String> captured) {}

  private Matched match(String topic) {
    for (TopicRoute r : routes) {
      Optional<Map<String, String>> m = r.pattern().match(topic);
      if (m.isPresent()) {
        return new Matched(r, m.get());
      }
    }
    return new Matched(null, null);
  }

  private void requestRebirth(io.ironlake.connectors.sparkplug.RebirthRequest request) {
    MqttConnection c = connection;
    boolean sent = c != null && c.publish(request.topic(), request.payload(), 0, false);
    LOG.info(
        "sparkplug rebirth requested: source={}, topic={}, sent={}", name(), request.topic(), sent);
  }

  private void deadLetter(
      String topic, byte[] payload, String reason, long receivedAt, long mark, Runnable ack) {
    byte[] kept = payload;
    String why = reason;
    if (payload.length > DEADLETTER_MAX_BYTES) {
      kept = Arrays.copyOf(payload, DEADLETTER_MAX_BYTES);
      why = reason + " (first " + DEADLETTER_MAX_BYTES + " of " + payload.length + " bytes kept)";
    }
    LOG.debug("mqtt payload refused: source={}, topic={}, reason={}", name(), topic, why);
    sink.deadLetter(
        new DeadLetter(collectorId, config.name(), topic, why, receivedAt, kept), mark, ack);
  }

  @Override
  public void close() {
    if (state == SourceState.CLOSED) {
      return;
    }
    boolean wasReady = state == SourceState.READY;
    state = SourceState.CLOSED;
    executor.shutdownNow();
    MqttConnection c = connection;
    if (c != null) {
      if (config.sparkplugHost() && wasReady) {
        // An intentional disconnect: the death first, then DISCONNECT (which waits for it).
        publishHostState(c, false);
        drainAfterDeath();
      }
      c.close();
    }
    LOG.info("mqtt source closed: source={}", name());
  }

  /**
   * After a host's death: edge nodes that wait for it stop publishing once they read it, and what
   * they sent before that must not go to a broker without the collector's subscription (a clean
   * session). Reads on until {@link #DRAIN_QUIET_NANOS} pass without a message, at most {@link
   * #DRAIN_MAX_NANOS}.
   */
  private void drainAfterDeath() {
    long start = System.nanoTime();
    long count = messagesSeen;
    while (true) {
      long now = System.nanoTime();
      long quietFrom = Math.max(start, lastMessageNanos);
      if (now - quietFrom >= DRAIN_QUIET_NANOS || now - start >= DRAIN_MAX_NANOS) {
        break;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
    }
    LOG.info(
        "sparkplug host read on after its death: source={}, messages={}, waitedMs={}",
        name(),
        messagesSeen - count,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Publishes this host's STATE, retained at QoS 1, with the timestamp of the last CONNECT. */
  private void publishHostState(MqttConnection c, boolean online) {
    long ts = hostSessionTimestamp;
    boolean sent = c.publish(hostStateTopic, new SparkplugHostState(online, ts).toJson(), 1, true);
    LOG.info(
        "sparkplug host state published: source={}, hostId={}, online={}, timestamp={}, sent={}",
        name(),
        config.sparkplugHostId(),
        online,
        ts,
        sent);
  }

  /**
   * A message on this host's own STATE topic. An offline one while the source is up (the will of an
   * earlier connection the broker published late, or another client's) would keep the edge nodes
   * waiting: the birth goes out again. The source's own online messages, and the offline it
   * publishes when it closes, change nothing.
   */
  private void onOwnState(byte[] payload) {
    Optional<SparkplugHostState> seen = SparkplugHostState.parse(payload);
    if (seen.isPresent() && !seen.get().online() && state == SourceState.READY) {
      LOG.warn(
          "sparkplug host seen offline on its own STATE topic while connected, publishing online"
              + " again: source={}, hostId={}, seenTimestamp={}",
          name(),
          config.sparkplugHostId(),
          seen.get().timestamp());
      MqttConnection c = connection;
      if (c != null) {
        publishHostState(c, true);
      }
    }
  }

  private final class Listener implements MqttConnection.Listener {
    @Override
    public MqttConnection.Will willForNextConnect() {
      if (!config.sparkplugHost()) {
        return null;
      }
      long ts = clock.millis();
      hostSessionTimestamp = ts;
      return new MqttConnection.Will(
          hostStateTopic, new SparkplugHostState(false, ts).toJson(), 1, true);
    }

    @Override
    public void connected(boolean reconnect) {
      LOG.info(
          "mqtt connected: source={}, broker={}, reconnect={}", name(), config.broker(), reconnect);
      // Paho calls this on its own thread; subscribing waits for the broker, so not here.
      executor.execute(MqttSource.this::subscribe);
    }

    @Override
    public void connectionLost(String cause) {
      connectionReset();
      if (state != SourceState.CLOSED) {
        // Not on Paho's thread: storing can wait for the spool.
        try {
          executor.execute(MqttSource.this::markSparkplugStale);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          LOG.debug("mqtt source closing, stale points not written: source={}", name());
        }
        state = SourceState.RECONNECTING;
        LOG.warn(
            "mqtt connection lost, reconnecting with back-off: source={}, broker={}, error={}",
            name(),
            config.broker(),
            cause);
        MqttConnection c = connection;
        if (c != null && !c.reconnectsItself()) {
          later(MqttSource.this::connect);
        }
      }
    }

    @Override
    public void messageArrived(
        String topic, byte[] payload, int messageId, int qos, boolean duplicate) {
      MqttConnection c = connection;
      onMessage(
          topic,
          payload,
          mark(messageId, qos, topic, payload),
          duplicate,
          () -> c.ack(messageId, qos));
    }
  }
}
