package io.ironlake.collector.check;

import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaIdentity;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.config.SourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.collector.config.TopicPattern;
import io.ironlake.collector.mqtt.InvalidPayloadException;
import io.ironlake.collector.mqtt.JsonPayloadCodec;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * {@code collector check}: connects to each configured source without Kafka and without touching
 * the state folder or the spool, and prints what the collector would map: for OPC UA which
 * configured nodes exist (read once), for MQTT the devices and tags seen while listening, and the
 * messages that would become dead letters, with why.
 *
 * <pre>{@code
 * int exit = CollectorCheck.run(CollectorConfigLoader.load(file), Duration.ofSeconds(10), System.out);
 * }</pre>
 */
public final class CollectorCheck {
  /** How many examples of dead letters and missing nodes are printed per source. */
  static final int EXAMPLES = 5;

  private CollectorCheck() {}

  /**
   * Checks every source and prints a report.
   *
   * @param listen how long to listen to each MQTT source
   * @return 0 when every source was reachable (and every OPC UA node exists), 1 otherwise
   */
  public static int run(CollectorConfig config, Duration listen, PrintWriter out) {
    out.printf(
        "Collector %s: %d source(s); Kafka (%s) and the state folder are not touched.%n",
        config.id(), config.sources().size(), config.kafka().bootstrapServers());
    boolean ok = true;
    for (SourceConfig sc : config.sources()) {
      if (sc instanceof OpcUaSourceConfig o) {
        ok &= checkOpcUa(config.id(), o, EdgeCollector.pkiDir(config.stateDir()), out);
      } else if (sc instanceof MqttSourceConfig m) {
        ok &= checkMqtt(m, listen, out);
      }
    }
    out.println(ok ? "OK: every source reachable." : "FAILED: see above.");
    out.flush();
    return ok ? 0 : 1;
  }

  /**
   * Connects as the collector would. A secured source (or an X.509 identity) needs the collector's
   * application certificate: it is read from the PKI folder, or created there as on a first start,
   * so that a server's administrator can trust it before the first run.
   */
  private static boolean checkOpcUa(
      String collectorId, OpcUaSourceConfig config, Path pkiDir, PrintWriter out) {
    out.printf("source %s (opcua, %s):%n", config.name(), config.endpoint());
    OpcUaClient client;
    try {
      OpcUaPki pki =
          config.security().secured() || config.security().identity() instanceof OpcUaIdentity.X509
              ? OpcUaPki.open(
                  pkiDir,
                  MiloClients.applicationUri(collectorId),
                  "Ironlake edge collector " + collectorId)
              : null;
      client = MiloClients.connect(config, collectorId, pki);
    } catch (Exception e) {
      out.printf("  UNREACHABLE: Cannot connect to %s: %s%n", config.endpoint(), message(e));
      return false;
    }
    try {
      NamespaceTable namespaces = client.readNamespaceTable();
      List<NodeMapping> resolved = new ArrayList<>();
      List<NodeId> ids = new ArrayList<>();
      Map<String, List<String>> missing = new TreeMap<>();
      for (NodeMapping n : config.nodes()) {
        Optional<NodeId> id = MiloClients.resolve(n.nodeId(), config.namespaceUri(), namespaces);
        if (id.isPresent()) {
          resolved.add(n);
          ids.add(id.get());
        } else {
          missing
              .computeIfAbsent(devicePath(n), d -> new ArrayList<>())
              .add(n.tag() + " (" + n.nodeId() + ": namespace not on the server)");
        }
      }
      List<DataValue> values =
          ids.isEmpty() ? List.of() : client.readValues(0.0, TimestampsToReturn.Both, ids);
      Map<String, Integer> found = new TreeMap<>();
      Map<String, Integer> configured = new TreeMap<>();
      config.nodes().forEach(n -> configured.merge(devicePath(n), 1, Integer::sum));
      for (int i = 0; i < resolved.size(); i++) {
        NodeMapping n = resolved.get(i);
        long status = values.get(i).statusCode().value();
        if (status == StatusCodes.Bad_NodeIdUnknown || status == StatusCodes.Bad_NodeIdInvalid) {
          missing
              .computeIfAbsent(devicePath(n), d -> new ArrayList<>())
              .add(n.tag() + " (" + n.nodeId() + ": no such node)");
        } else {
          found.merge(devicePath(n), 1, Integer::sum);
        }
      }
      int foundTotal = found.values().stream().mapToInt(Integer::intValue).sum();
      out.flush();
      out.printf(
          "  connected; %d of %d node(s) exist, on %d device(s)%n",
          foundTotal, config.nodes().size(), configured.size());
      configured.forEach(
          (device, n) -> {
            List<String> gone = missing.getOrDefault(device, List.of());
            out.printf(
                "  %s: %d tag(s)%s%n",
                device,
                found.getOrDefault(device, 0),
                gone.isEmpty() ? "" : ", missing " + gone.size() + ": " + String.join(", ", gone));
          });
      return missing.isEmpty();
    } catch (Exception e) {
      out.printf("  FAILED: Cannot read the nodes from %s: %s%n", config.endpoint(), message(e));
      return false;
    } finally {
      try {
        client.disconnect();
      } catch (Exception e) {
        // Nothing to do: the check is over.
      }
    }
  }

  private static boolean checkMqtt(MqttSourceConfig config, Duration listen, PrintWriter out) {
    out.printf(
        "source %s (mqtt, %s), listening %d s:%n",
        config.name(), config.broker(), listen.toSeconds());
    if (config.sparkplugHost()) {
      out.printf(
          "  sparkplug host %s is not announced by check (it sends nothing): edge nodes that wait"
              + " for this host publish only while the collector runs%n",
          config.sparkplugHostId());
    }
    List<TopicPattern> patterns = new ArrayList<>();
    config.topics().forEach(t -> patterns.add(TopicPattern.parse(t.pattern())));
    MqttListener listener = new MqttListener(config, patterns);
    MqttClient client;
    try {
      // A client id of its own, clean session: the collector's persistent session stays as it is.
      client =
          new MqttClient(
              config.broker(),
              "ironlake-check-" + UUID.randomUUID().toString().substring(0, 8),
              new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      o.setCleanSession(true);
      o.setConnectionTimeout(10);
      o.setAutomaticReconnect(false);
      client.setCallback(listener);
      client.connect(o);
    } catch (MqttException e) {
      out.printf("  UNREACHABLE: Cannot connect to %s: %s%n", config.broker(), message(e));
      return false;
    }
    try {
      String[] filters = patterns.stream().map(TopicPattern::mqttFilter).toArray(String[]::new);
      client.subscribe(filters, new int[filters.length]);
      TimeUnit.MILLISECONDS.sleep(listen.toMillis());
      client.disconnect();
    } catch (MqttException e) {
      out.printf("  FAILED: Cannot subscribe on %s: %s%n", config.broker(), message(e));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        // Nothing to do: the check is over.
      }
    }
    listener.report(out);
    return true;
  }

  /** Collects what arrives: tags per device, dead letters with their reasons. */
  private static final class MqttListener implements org.eclipse.paho.client.mqttv3.MqttCallback {
    private final MqttSourceConfig config;
    private final List<TopicPattern> patterns;
    private final Map<String, Set<String>> tags = new TreeMap<>();
    private final List<String> deadLetters = new ArrayList<>();
    private int messages;
    private int deadLetterCount;

    MqttListener(MqttSourceConfig config, List<TopicPattern> patterns) {
      this.config = config;
      this.patterns = patterns;
    }

    @Override
    public synchronized void messageArrived(
        String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
      messages++;
      for (int i = 0; i < patterns.size(); i++) {
        Optional<Map<String, String>> m = patterns.get(i).match(topic);
        if (m.isEmpty()) {
          continue;
        }
        TopicMapping t = config.topics().get(i);
        Map<String, String> c = m.get();
        String device =
            String.join(
                "/",
                c.getOrDefault("site", t.site()),
                c.getOrDefault("area", t.area()),
                c.getOrDefault("line", t.line()),
                c.getOrDefault("device", t.device()));
        try {
          JsonPayloadCodec.JsonPayload p =
              JsonPayloadCodec.decode(message.getPayload(), config.maxPayloadBytes());
          Set<String> seen = tags.computeIfAbsent(device, d -> new TreeSet<>());
          p.values().forEach(v -> seen.add(v.tag()));
        } catch (InvalidPayloadException e) {
          deadLetter(topic + ": " + e.getMessage());
        }
        return;
      }
      deadLetter(topic + ": Topic matches no configured pattern");
    }

    private void deadLetter(String what) {
      deadLetterCount++;
      if (deadLetters.size() < EXAMPLES) {
        deadLetters.add(what);
      }
    }

    synchronized void report(PrintWriter out) {
      out.printf(
          "  connected; %d message(s), %d device(s), %d would be dead letters%n",
          messages, tags.size(), deadLetterCount);
      tags.forEach(
          (device, t) ->
              out.printf("  %s: %d tag(s): %s%n", device, t.size(), String.join(", ", t)));
      deadLetters.forEach(d -> out.printf("  dead letter: %s%n", d));
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
  }

  private static String devicePath(NodeMapping n) {
    return n.site() + "/" + n.area() + "/" + n.line() + "/" + n.device();
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
