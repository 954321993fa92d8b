package io.ironlake.collector;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.config.SourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The collector config a user would write for a simulated plant, for the end-to-end tests. */
final class Plants {
  static final String TELEMETRY_PATTERN = "factory/{site}/{area}/{line}/{device}/telemetry";

  private Plants() {}

  /** Every OPC UA variable as a node, every MQTT machine through one topic pattern. */
  static CollectorConfig collectorConfig(
      String id, SimulatedFactory factory, KafkaConfig kafkaConfig, Path stateDir) {
    List<SourceConfig> sources = new ArrayList<>();
    List<NodeMapping> nodes = new ArrayList<>();
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        nodes.add(
            new NodeMapping(
                t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
      }
    }
    if (!nodes.isEmpty()) {
      sources.add(
          OpcUaSourceConfig.of(
              "opcua-plant", factory.opcUaEndpoint(), factory.plant().namespaceUri(), nodes));
    }
    if (factory.mqttBrokerUrl() != null) {
      sources.add(
          MqttSourceConfig.of(
              "mqtt-gw",
              factory.mqttBrokerUrl(),
              "ironlake-" + id,
              List.of(TopicMapping.json(TELEMETRY_PATTERN, units(factory)))));
    }
    return new CollectorConfig(
        id, stateDir, CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT, kafkaConfig, sources);
  }

  /** The unit of every MQTT tag that has one. */
  static Map<String, String> units(SimulatedFactory factory) {
    Map<String, String> units = new LinkedHashMap<>();
    for (SimMachine m : factory.plant().machines(Channel.MQTT)) {
      for (SimTag t : m.tags()) {
        if (!t.unit().isEmpty()) {
          units.put(t.name(), t.unit());
        }
      }
    }
    return units;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
