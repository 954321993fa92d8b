package io.ironlake.cli.quickstart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.PlantModel;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an ordinary collector config file that maps every node and topic of a simulated plant, so
 * the quickstart runs the collector exactly as a plant would: from YAML.
 */
public final class CollectorConfigFile {
  /** The collector id the quickstart uses. */
  public static final String COLLECTOR_ID = "edge-quickstart";

  /** The source name of the simulator's OPC UA server. */
  public static final String OPCUA_SOURCE = "opcua-sim";

  /** The source name of the simulator's MQTT gateway. */
  public static final String MQTT_SOURCE = "mqtt-sim";

  /** Changes per OPC UA node the server queues between publishes (the collector's default: 100). */
  public static final int OPCUA_QUEUE_SIZE = 1000;

  private CollectorConfigFile() {}

  /** Writes the file and returns its path. */
  public static Path write(
      Path file,
      PlantModel plant,
      String opcUaEndpoint,
      String mqttBrokerUrl,
      String kafkaBootstrapServers,
      Path stateDir) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file, yaml(plant, opcUaEndpoint, mqttBrokerUrl, kafkaBootstrapServers, stateDir));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write collector config " + file + ": " + e, e);
    }
  }

  /** The YAML text of the collector config for a plant. */
  public static String yaml(
      PlantModel plant,
      String opcUaEndpoint,
      String mqttBrokerUrl,
      String kafkaBootstrapServers,
      Path stateDir) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("collector", Map.of("id", COLLECTOR_ID, "state-dir", stateDir.toString()));
    root.put("kafka", Map.of("bootstrap-servers", kafkaBootstrapServers));
    // No health/metrics endpoint: a second quickstart or a test must not fight over port 9464.
    root.put("http", Map.of("port", 0));
    List<Object> sources = new ArrayList<>();
    List<SimMachine> opcUa = plant.machines(Channel.OPCUA);
    if (!opcUa.isEmpty()) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("name", OPCUA_SOURCE);
      source.put("type", "opcua");
      source.put("endpoint", opcUaEndpoint);
      source.put("security-policy", "None");
      source.put("namespace-uri", plant.namespaceUri());
      // The simulator runs up to hundreds of times faster than real time: let the server queue
      // enough changes per node to bridge a pause of the machine (a GC, jobs starting) without
      // dropping the oldest (at speed 30, 1000 changes are 33 s).
      source.put("queue-size", OPCUA_QUEUE_SIZE);
      List<Object> nodes = new ArrayList<>();
      for (SimMachine m : opcUa) {
        for (SimTag t : m.tags()) {
          Map<String, Object> node = new LinkedHashMap<>();
          node.put("node-id", withoutNamespaceIndex(t.nodeId()));
          node.put("site", m.site());
          node.put("area", m.area());
          node.put("line", m.line());
          node.put("device", m.device());
          node.put("tag", t.name());
          if (t.unit() != null && !t.unit().isEmpty()) {
            node.put("unit", t.unit());
          }
          nodes.add(node);
        }
      }
      source.put("nodes", nodes);
      sources.add(source);
    }
    List<SimMachine> mqtt = plant.machines(Channel.MQTT);
    if (!mqtt.isEmpty()) {
      Map<String, Object> units = new LinkedHashMap<>();
      for (SimTag t : mqtt.get(0).tags()) {
        if (t.unit() != null && !t.unit().isEmpty()) {
          units.put(t.name(), t.unit());
        }
      }
      Map<String, Object> topic = new LinkedHashMap<>();
      topic.put("pattern", "factory/{site}/{area}/{line}/{device}/telemetry");
      topic.put("format", "json");
      topic.put("units", units);
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("name", MQTT_SOURCE);
      source.put("type", "mqtt");
      source.put("broker", mqttBrokerUrl);
      // The quickstart's embedded Moquette speaks MQTT 3.1.1 only (the collector's default is 5).
      source.put("mqtt-version", "3.1.1");
      source.put("qos", 1);
      source.put("topics", List.of(topic));
      sources.add(source);
    }
    root.put("sources", sources);
    ObjectMapper mapper =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    try {
      return "# Written by `ironlake quickstart`: maps every node and topic of the simulated plant.\n"
          + "# An ordinary collector config: see edge-collector/README.md for every key.\n"
          + mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write collector config: " + e.getMessage(), e);
    }
  }

  /** {@code ns=2;s=x} becomes {@code s=x}: the namespace URI, not its index, names it. */
  static String withoutNamespaceIndex(String nodeId) {
    if (nodeId.startsWith("ns=")) {
      int semi = nodeId.indexOf(';');
      if (semi > 0) {
        return nodeId.substring(semi + 1);
      }
    }
    return nodeId;
  }
}
