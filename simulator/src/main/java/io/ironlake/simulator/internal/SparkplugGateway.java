package io.ironlake.simulator.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.sparkplug.InvalidSparkplugPayloadException;
import io.ironlake.connectors.sparkplug.SparkplugDataType;
import io.ironlake.connectors.sparkplug.SparkplugHostState;
import io.ironlake.connectors.sparkplug.SparkplugMessageType;
import io.ironlake.connectors.sparkplug.SparkplugMetric;
import io.ironlake.connectors.sparkplug.SparkplugPayloads;
import io.ironlake.connectors.sparkplug.SparkplugTopic;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatorException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated Sparkplug B edge nodes: one MQTT connection per MQTT line (edge node id = the line,
 * group id = the site), its machines as devices.
 *
 * <p>On connect: NBIRTH (seq 0, {@code bdSeq}, {@code Node Control/Rebirth}), then one DBIRTH per
 * machine naming every tag with its alias, data type, unit and last value; then one DDATA per
 * machine per tick with aliases only. The NDEATH is the MQTT will and is also sent before a clean
 * disconnect. An NCMD with {@code Node Control/Rebirth = true} makes the node send its births
 * again. All messages use QoS 1 (the specification says 0 for births and data) so that the emission
 * log, which counts a message when the broker acknowledged it, stays exact.
 *
 * <p>With a Primary Host Application id the nodes also subscribe to its STATE ({@code
 * spBv1.0/STATE/<id>}) and publish births only once it says online (a STATE older than the last one
 * seen is ignored). While it says offline they send an NDEATH, keep their data and send it after
 * their next births, in order (store and forward; the metrics are not flagged historical).
 */
public final class SparkplugGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SparkplugGateway.class);

  static final long BD_SEQ_ALIAS = 0;
  static final long REBIRTH_ALIAS = 1;
  private static final int QOS = 1;

  private final String brokerUrl;
  private final Map<String, EdgeNode> nodes;
  private final ExecutorService commands;

  private SparkplugGateway(
      String brokerUrl, Map<String, EdgeNode> nodes, ExecutorService commands) {
    this.brokerUrl = brokerUrl;
    this.nodes = nodes;
    this.commands = commands;
  }

  /**
   * Connects one edge node per line and sends its births.
   *
   * @param lines line to its devices, in order
   * @param tags the tags of every device, in publishing order
   * @param startTime the simulated time of the first tick, the timestamp of the first births
   */
  public static SparkplugGateway connect(
      String brokerUrl,
      String site,
      Map<String, List<String>> lines,
      List<SimTag> tags,
      Instant startTime,
      String primaryHostId) {
    ExecutorService commands =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ironlake-sim-sparkplug-" + site);
              t.setDaemon(true);
              return t;
            });
    Map<String, EdgeNode> nodes = new LinkedHashMap<>();
    SparkplugGateway gateway = new SparkplugGateway(brokerUrl, nodes, commands);
    try {
      for (Map.Entry<String, List<String>> line : lines.entrySet()) {
        EdgeNode node =
            gateway
            .new EdgeNode(
                site,
                line.getKey(),
                line.getValue(),
                tags,
                startTime.toEpochMilli(),
                primaryHostId);
        nodes.put(line.getKey(), node);
        node.connect();
      }
      return gateway;
    } catch (RuntimeException e) {
      gateway.close();
      throw e;
    }
  }

  /** The DDATA topic of a machine. */
  public static String ddataTopic(String site, String line, String device) {
    return SparkplugTopic.device(SparkplugMessageType.DDATA, site, line, device).toString();
  }

  /**
   * Publishes one tick of one machine as a DDATA and waits for the broker's acknowledgement.
   *
   * @return true if the broker acknowledged it; false if it was dropped
   */
  public boolean publish(
      String line, String device, long tsMicros, Map<String, PointValue> values) {
    return nodes.get(line).publishData(device, tsMicros / 1000, values);
  }

  /** NBIRTHs sent so far by the edge node of {@code line} (1 after connecting, +1 per rebirth). */
  public long births(String line) {
    return nodes.get(line).births;
  }

  /**
   * Drops the edge node's TCP connection without an MQTT DISCONNECT, as a crashed node or a broken
   * network would: the broker then publishes the NDEATH will. Then reconnects the way Paho's
   * automatic reconnect does, after which the node sends new births. For tests.
   */
  void dropConnection(String line) {
    nodes.get(line).dropConnection();
  }

  /** Sends an NDEATH from every edge node, then disconnects. */
  @Override
  public void close() {
    commands.shutdown();
    try {
      if (!commands.awaitTermination(10, TimeUnit.SECONDS)) {
        commands.shutdownNow();
      }
    } catch (InterruptedException e) {
      commands.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (EdgeNode node : nodes.values()) {
      node.close();
    }
  }

  /** One simulated edge node: a line of machines behind one MQTT connection. */
  private final class EdgeNode implements MqttCallbackExtended {
    private final String site;
    private final String line;
    private final List<String> devices;
    private final List<SimTag> tags;
    private final MqttClient client;
    private final long bdSeq = 0;
    private final Map<String, Long> aliases = new HashMap<>();
    private final Map<String, Sample> lastSamples = new HashMap<>();
    private long lastTsMillis;
    private int seq = -1;
    private volatile long births;
    private final AtomicInteger connections = new AtomicInteger();
    private long failures;

    /** The primary host to wait for, or null; its STATE; the data kept while it is offline. */
    private final String primaryHost;

    private boolean hostOnline;
    private long hostTimestamp = Long.MIN_VALUE;
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    private record Sample(long tsMillis, Map<String, PointValue> values) {}

    private record Held(String device, long tsMillis, Map<String, PointValue> values) {}

    EdgeNode(
        String site,
        String line,
        List<String> devices,
        List<SimTag> tags,
        long startMillis,
        String primaryHost) {
      this.site = site;
      this.line = line;
      this.primaryHost = primaryHost;
      this.devices = List.copyOf(devices);
      this.tags = List.copyOf(tags);
      this.lastTsMillis = startMillis;
      for (int d = 0; d < devices.size(); d++) {
        for (int t = 0; t < tags.size(); t++) {
          aliases.put(devices.get(d) + "/" + tags.get(t).name(), 100L * (d + 1) + t + 1);
        }
      }
      String clientId =
          "ironlake-sim-spb-"
              + site
              + "-"
              + line
              + "-"
              + UUID.randomUUID().toString().substring(0, 8);
      try {
        this.client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
      } catch (MqttException e) {
        throw new SimulatorException(
            "Cannot create Sparkplug edge node " + site + "/" + line + ": " + e.getMessage(), e);
      }
      client.setCallback(this);
      client.setTimeToWait(10_000);
    }

    void connect() {
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(true);
      options.setAutomaticReconnect(true);
      options.setConnectionTimeout(10);
      options.setMaxInflight(1000);
      // bdSeq stays 0: Paho's automatic reconnect re-sends this same will, so births keep matching.
      options.setWill(topic(SparkplugMessageType.NDEATH, null), death(), QOS, false);
      try {
        client.connect(options);
      } catch (MqttException e) {
        throw new SimulatorException(
            "Cannot connect Sparkplug edge node "
                + site
                + "/"
                + line
                + " to "
                + brokerUrl
                + ": "
                + e.getMessage()
                + " (reason code "
                + e.getReasonCode()
                + ")",
            e);
      }
      subscribeAndBirth();
      LOG.info(
          "Sparkplug edge node simulator connected: broker={}, node={}/{}, devices={}",
          brokerUrl,
          site,
          line,
          devices.size());
    }

    private void subscribeAndBirth() {
      try {
        client.subscribe(topic(SparkplugMessageType.NCMD, null), QOS);
        if (primaryHost != null) {
          synchronized (this) {
            hostOnline = false; // a new connection: births wait for the host's next STATE
          }
          // The retained STATE arrives now; births follow once it says online.
          client.subscribe(SparkplugHostState.topic(primaryHost), QOS);
          return;
        }
      } catch (MqttException e) {
        LOG.warn(
            "Sparkplug edge node cannot subscribe to its commands: node={}/{}, reasonCode={},"
                + " error={}",
            site,
            line,
            e.getReasonCode(),
            e.getMessage());
      }
      sendBirths();
    }

    synchronized void sendBirths() {
      seq = -1;
      long ts = lastTsMillis;
      List<SparkplugMetric> node =
          List.of(
              SparkplugMetric.birth(
                  SparkplugPayloads.BD_SEQ,
                  BD_SEQ_ALIAS,
                  ts,
                  SparkplugDataType.UINT64,
                  PointValue.of(bdSeq),
                  null),
              SparkplugMetric.birth(
                  SparkplugPayloads.NODE_CONTROL_REBIRTH,
                  REBIRTH_ALIAS,
                  ts,
                  SparkplugDataType.BOOLEAN,
                  PointValue.of(false),
                  null));
      boolean ok =
          send(
              topic(SparkplugMessageType.NBIRTH, null),
              SparkplugPayloads.encode(ts, nextSeq(), node));
      for (String device : devices) {
        Sample last = lastSamples.get(device);
        List<SparkplugMetric> metrics = new ArrayList<>();
        for (SimTag tag : tags) {
          PointValue value = last == null ? null : last.values().get(tag.name());
          metrics.add(
              SparkplugMetric.birth(
                  tag.name(),
                  aliases.get(device + "/" + tag.name()),
                  last == null ? ts : last.tsMillis(),
                  dataType(tag),
                  value,
                  tag.unit()));
        }
        ok &=
            send(
                topic(SparkplugMessageType.DBIRTH, device),
                SparkplugPayloads.encode(ts, nextSeq(), metrics));
      }
      births++;
      LOG.info(
          "Sparkplug edge node simulator sent births: node={}/{}, births={}, complete={}",
          site,
          line,
          births,
          ok);
    }

    synchronized boolean publishData(String device, long tsMillis, Map<String, PointValue> values) {
      if (primaryHost != null && (!hostOnline || !held.isEmpty())) {
        held.add(new Held(device, tsMillis, Map.copyOf(values)));
        return true; // sent after the next births
      }
      return sendData(device, tsMillis, values);
    }

    private boolean sendData(String device, long tsMillis, Map<String, PointValue> values) {
      List<SparkplugMetric> metrics = new ArrayList<>(values.size());
      values.forEach(
          (tag, value) ->
              metrics.add(SparkplugMetric.data(aliases.get(device + "/" + tag), tsMillis, value)));
      byte[] payload = SparkplugPayloads.encode(tsMillis, nextSeq(), metrics);
      if (!send(topic(SparkplugMessageType.DDATA, device), payload)) {
        return false;
      }
      lastSamples.put(device, new Sample(tsMillis, Map.copyOf(values)));
      lastTsMillis = Math.max(lastTsMillis, tsMillis);
      return true;
    }

    /**
     * The primary host's STATE: online sends the births, then what was kept, in order; offline
     * sends an NDEATH and keeps the data from then on.
     */
    synchronized void onHostState(SparkplugHostState state) {
      if (state.timestamp() < hostTimestamp) {
        LOG.info(
            "Sparkplug edge node ignored an older host STATE: node={}/{}, host={}, timestamp={}",
            site,
            line,
            primaryHost,
            state.timestamp());
        return;
      }
      hostTimestamp = state.timestamp();
      if (state.online() && !hostOnline) {
        hostOnline = true;
        sendBirths();
        int sent = 0;
        while (!held.isEmpty()) {
          Held h = held.peek();
          if (!sendData(h.device(), h.tsMillis(), h.values())) {
            break; // kept: tried again after the next births
          }
          held.poll();
          sent++;
        }
        LOG.info(
            "Sparkplug edge node simulator: primary host online, births and kept data sent:"
                + " node={}/{}, host={}, keptSent={}, stillKept={}",
            site,
            line,
            primaryHost,
            sent,
            held.size());
      } else if (!state.online() && hostOnline) {
        hostOnline = false;
        send(topic(SparkplugMessageType.NDEATH, null), death());
        LOG.info(
            "Sparkplug edge node simulator: primary host offline, keeping data: node={}/{},"
                + " host={}",
            site,
            line,
            primaryHost);
      }
    }

    private long nextSeq() {
      seq = (seq + 1) % (SparkplugPayloads.MAX_SEQ + 1);
      return seq;
    }

    private boolean send(String topic, byte[] payload) {
      try {
        client.publish(topic, payload, QOS, false);
        return true;
      } catch (MqttException e) {
        failures++;
        if (failures == 1 || failures % 1000 == 0) {
          LOG.warn(
              "Sparkplug edge node simulator dropped a message: broker={}, topic={},"
                  + " droppedSoFar={}, reasonCode={}, error={}",
              brokerUrl,
              topic,
              failures,
              e.getReasonCode(),
              e.getMessage());
        }
        return false;
      }
    }

    private byte[] death() {
      return SparkplugPayloads.nodeDeath(lastTsMillis, bdSeq);
    }

    private String topic(SparkplugMessageType type, String device) {
      return device == null
          ? SparkplugTopic.node(type, site, line).toString()
          : SparkplugTopic.device(type, site, line, device).toString();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (primaryHost != null && topic.equals(SparkplugHostState.topic(primaryHost))) {
        Optional<SparkplugHostState> state = SparkplugHostState.parse(message.getPayload());
        if (state.isEmpty()) {
          LOG.warn(
              "Sparkplug edge node ignored a STATE that is not Sparkplug 3.0 JSON: node={}/{},"
                  + " host={}",
              site,
              line,
              primaryHost);
          return;
        }
        runLater(() -> onHostState(state.get()));
        return;
      }
      boolean rebirth;
      try {
        rebirth = SparkplugPayloads.isRebirthCommand(message.getPayload(), REBIRTH_ALIAS);
      } catch (InvalidSparkplugPayloadException e) {
        LOG.warn(
            "Sparkplug edge node ignored a bad NCMD: node={}/{}, error={}",
            site,
            line,
            e.getMessage());
        return;
      }
      if (!rebirth) {
        LOG.debug("Sparkplug edge node ignored an NCMD without rebirth: node={}/{}", site, line);
        return;
      }
      LOG.info("Sparkplug edge node simulator got a rebirth request: node={}/{}", site, line);
      // Not on Paho's callback thread: publishing with QoS 1 from there can stall its acks.
      runLater(this::sendBirths);
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      // The first connection's births are sent by connect(); every later one needs new births
      // (Paho's flag says reconnect only for its automatic reconnects, not for reconnect()).
      if (connections.incrementAndGet() > 1) {
        LOG.info("Sparkplug edge node simulator reconnected: node={}/{}", site, line);
        runLater(this::subscribeAndBirth);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warn(
          "Sparkplug edge node simulator lost its connection: node={}/{}, error={}",
          site,
          line,
          String.valueOf(cause));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    private void runLater(Runnable task) {
      try {
        commands.execute(task);
      } catch (RejectedExecutionException e) {
        LOG.debug("Sparkplug edge node is closing, task dropped: node={}/{}", site, line);
      }
    }

    synchronized void dropConnection() {
      try {
        client.disconnectForcibly(0, 1_000, false);
        client.reconnect();
      } catch (MqttException e) {
        LOG.warn("Sparkplug edge node drop: node={}/{}, error={}", site, line, e.toString());
      }
    }

    synchronized void close() {
      try {
        if (client.isConnected()) {
          client.publish(topic(SparkplugMessageType.NDEATH, null), death(), QOS, false);
          client.disconnect(2_000);
        }
      } catch (MqttException e) {
        LOG.debug("Sparkplug edge node disconnect: node={}/{}, error={}", site, line, e.toString());
      }
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.debug("Sparkplug edge node close: node={}/{}, error={}", site, line, e.toString());
      }
    }
  }

  /** The Sparkplug data type of a tag: Double, Int64 or String. */
  static SparkplugDataType dataType(SimTag tag) {
    return switch (tag.type()) {
      case DOUBLE -> SparkplugDataType.DOUBLE;
      case LONG -> SparkplugDataType.INT64;
      case STRING -> SparkplugDataType.STRING;
    };
  }
}
