package io.ironlake.collector.mqtt;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.TelemetrySource;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.collector.config.TopicPattern;
import io.ironlake.collector.internal.Backoff;
import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.internal.PointSink;
import io.ironlake.collector.mqtt.JsonPayloadCodec.JsonPayload;
import io.ironlake.collector.mqtt.JsonPayloadCodec.TagValue;
import io.ironlake.collector.spool.SpoolClosedException;
import io.ironlake.collector.spool.SpoolEntryTooLargeException;
import io.ironlake.collector.spool.SpoolException;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads JSON telemetry from an MQTT 3.1.1 broker (Paho mqttv3): subscribes to each configured
 * pattern, takes the ISA-95 path from the topic, and turns every value of a payload into a point.
 * Payloads that cannot become points go whole to the dead-letter topic with the reason; the source
 * goes on.
 *
 * <p>Messages are acknowledged to the broker (manual acks) only once their points or dead letter
 * are in the spool, so a QoS 1/2 message the collector had not stored comes again after a
 * reconnect. Each stored message carries a mark (packet id and CRC32C of topic and payload); a
 * message the broker sends again (DUP flag) whose mark is in the spool was stored before its
 * acknowledgement got lost, and is acknowledged without being numbered again.
 */
public final class MqttSource implements TelemetrySource {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);

  /** A dead letter keeps at most this much of an oversized payload, so Kafka accepts it. */
  static final int DEADLETTER_MAX_BYTES = 512 * 1024;

  private final String collectorId;
  private final MqttSourceConfig config;
  private final PointSink sink;
  private final Clock clock;
  private final List<Route> routes;
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  private final ScheduledExecutorService executor;
  private volatile MqttAsyncClient client;
  private volatile SourceState state = SourceState.CONNECTING;
  private boolean connectFailureLogged;
  private long spoolErrors;

  private record Route(TopicPattern pattern, TopicMapping mapping) {}

  public MqttSource(String collectorId, MqttSourceConfig config, PointSink sink, Clock clock) {
    this.collectorId = collectorId;
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    List<Route> r = new ArrayList<>();
    for (TopicMapping t : config.topics()) {
      r.add(new Route(TopicPattern.parse(t.pattern()), t));
    }
    this.routes = List.copyOf(r);
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

  @Override
  public void start() {
    LOG.info(
        "mqtt source starting: source={}, broker={}, clientId={}, filters={}",
        config.name(),
        config.broker(),
        config.clientId(),
        Arrays.toString(filters()));
    executor.execute(this::connect);
  }

  private String[] filters() {
    return routes.stream().map(r -> r.pattern().mqttFilter()).distinct().toArray(String[]::new);
  }

  /** First connection; after it, Paho's automatic reconnect takes over. */
  private void connect() {
    if (state == SourceState.CLOSED) {
      return;
    }
    try {
      if (client == null) {
        client = new MqttAsyncClient(config.broker(), config.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback());
      }
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(config.cleanSession());
      options.setKeepAliveInterval(config.keepAliveSeconds());
      options.setAutomaticReconnect(true);
      options.setMaxReconnectDelay(30_000);
      options.setConnectionTimeout(10);
      client.connect(options).waitForCompletion();
      // Subscribing happens in connectComplete, for the first connection and every reconnect.
    } catch (MqttException e) {
      Duration delay = backoff.next();
      if (!connectFailureLogged) {
        connectFailureLogged = true;
        LOG.warn(
            "mqtt connect failed, retrying with back-off: source={}, broker={}, reasonCode={},"
                + " error={}",
            config.name(),
            config.broker(),
            e.getReasonCode(),
            e.getMessage());
      } else {
        LOG.debug(
            "mqtt connect failed: source={}, error={}, retryInMs={}",
            name(),
            e.getMessage(),
            delay.toMillis());
      }
      if (state != SourceState.CLOSED) {
        executor.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void subscribe() {
    String[] filters = filters();
    int[] qos = new int[filters.length];
    Arrays.fill(qos, config.qos());
    try {
      client.subscribe(filters, qos).waitForCompletion();
      backoff.reset();
      state = SourceState.READY;
      LOG.info(
          "mqtt source ready: source={}, broker={}, filters={}",
          config.name(),
          config.broker(),
          Arrays.toString(filters));
    } catch (MqttException e) {
      LOG.warn(
          "mqtt subscribe failed: source={}, broker={}, reasonCode={}, error={}",
          config.name(),
          config.broker(),
          e.getReasonCode(),
          e.getMessage());
      // Dropping the connection lets Paho's reconnect (and connectComplete) try again.
      executor.schedule(this::dropConnection, backoff.next().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void dropConnection() {
    try {
      client.disconnectForcibly(0, 1000, false);
      client.reconnect();
    } catch (MqttException e) {
      LOG.debug("mqtt reconnect after failed subscribe: source={}, error={}", name(), e.toString());
    }
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
  void onMessage(String topic, byte[] payload, long mark, boolean duplicate, Runnable ack) {
    if (duplicate && sink.alreadySpooled(mark)) {
      LOG.debug(
          "mqtt redelivery of a spooled message acknowledged again: source={}, topic={}, mark={}",
          name(),
          topic,
          Long.toHexString(mark));
      sink.redeliverySkipped();
      ack.run();
      return;
    }
    try {
      decodeAndSpool(topic, payload, mark, ack);
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
      long n = ++spoolErrors;
      if ((n & (n - 1)) == 0) {
        LOG.error(
            "mqtt message not stored, not acknowledged: source={}, topic={}, errors={}, error={}",
            name(),
            topic,
            n,
            e.getMessage());
      }
    }
  }

  private void decodeAndSpool(String topic, byte[] payload, long mark, Runnable ack) {
    long receivedAt = Micros.now(clock);
    Route route = null;
    Map<String, String> captured = null;
    for (Route r : routes) {
      Optional<Map<String, String>> m = r.pattern().match(topic);
      if (m.isPresent()) {
        route = r;
        captured = m.get();
        break;
      }
    }
    if (route == null) {
      deadLetter(topic, payload, "Topic matches no configured pattern", receivedAt, mark, ack);
      return;
    }
    JsonPayload decoded;
    try {
      decoded = JsonPayloadCodec.decode(payload, config.maxPayloadBytes());
    } catch (InvalidPayloadException e) {
      deadLetter(topic, payload, e.getMessage(), receivedAt, mark, ack);
      return;
    }
    TopicMapping m = route.mapping();
    String site = captured.getOrDefault("site", m.site());
    String area = captured.getOrDefault("area", m.area());
    String line = captured.getOrDefault("line", m.line());
    String device = captured.getOrDefault("device", m.device());
    List<TelemetryPoint> points = new ArrayList<>(decoded.values().size());
    for (TagValue v : decoded.values()) {
      points.add(
          new TelemetryPoint(
              site,
              area,
              line,
              device,
              v.tag(),
              decoded.tsMicros(),
              receivedAt,
              v.value(),
              Quality.GOOD,
              0L,
              m.units().getOrDefault(v.tag(), ""),
              collectorId,
              config.name(),
              0L));
    }
    sink.emit(points, mark, ack);
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
    state = SourceState.CLOSED;
    executor.shutdownNow();
    MqttAsyncClient c = client;
    if (c != null) {
      try {
        if (c.isConnected()) {
          c.disconnect(5_000).waitForCompletion(6_000);
        }
      } catch (MqttException e) {
        LOG.debug("mqtt disconnect failed: source={}, error={}", name(), e.toString());
      }
      try {
        c.close(true);
      } catch (MqttException e) {
        LOG.debug("mqtt close failed: source={}, error={}", name(), e.toString());
      }
    }
    LOG.info("mqtt source closed: source={}", name());
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      LOG.info("mqtt connected: source={}, broker={}, reconnect={}", name(), serverUri, reconnect);
      // Paho calls this on its own thread; subscribing waits for the broker, so not here.
      executor.execute(MqttSource.this::subscribe);
    }

    @Override
    public void connectionLost(Throwable cause) {
      if (state != SourceState.CLOSED) {
        state = SourceState.RECONNECTING;
        LOG.warn(
            "mqtt connection lost, reconnecting with back-off: source={}, broker={}, error={}",
            name(),
            config.broker(),
            String.valueOf(cause));
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      int id = message.getId();
      int qos = message.getQos();
      byte[] payload = message.getPayload();
      onMessage(
          topic, payload, mark(id, qos, topic, payload), message.isDuplicate(), () -> ack(id, qos));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // The collector does not publish to MQTT.
    }
  }

  private void ack(int id, int qos) {
    if (qos == 0) {
      return;
    }
    try {
      client.messageArrivedComplete(id, qos);
    } catch (MqttException e) {
      // The connection is gone; the broker sends the message again on the next session.
      LOG.debug("mqtt ack failed: source={}, messageId={}, error={}", name(), id, e.toString());
    }
  }
}
