package io.ironlake.connectors.sparkplug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * A Sparkplug 3.0 Primary Host Application STATE message: {@code {"online": true|false,
 * "timestamp": <UTC epoch millis>}} as UTF-8 JSON on {@code spBv1.0/STATE/<host id>}, published
 * with QoS 1 and retained. The birth (online) carries the timestamp of the will (offline)
 * registered with the CONNECT that began the session; so does the death published before an
 * intentional disconnect.
 *
 * @param online whether the host application is online
 * @param timestamp the UTC time of the CONNECT that began the host's session, epoch millis
 */
public record SparkplugHostState(boolean online, long timestamp) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The STATE topic of the host application {@code hostId}. */
  public static String topic(String hostId) {
    return "spBv1.0/STATE/" + hostId;
  }

  /** The payload: {@code {"online":...,"timestamp":...}}. */
  public byte[] toJson() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("online", online);
    node.put("timestamp", timestamp);
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write a STATE payload", e);
    }
  }

  /**
   * Reads a STATE payload; empty when it is not one (not JSON, or without a boolean {@code online}
   * and an integer {@code timestamp}).
   */
  public static Optional<SparkplugHostState> parse(byte[] payload) {
    try {
      JsonNode node = MAPPER.readTree(payload);
      if (node == null
          || !node.path("online").isBoolean()
          || !node.path("timestamp").canConvertToLong()
          || !node.path("timestamp").isIntegralNumber()) {
        return Optional.empty();
      }
      return Optional.of(
          new SparkplugHostState(
              node.get("online").booleanValue(), node.get("timestamp").asLong()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
