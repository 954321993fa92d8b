package io.ironlake.connectors.sparkplug;

import java.util.Objects;

/**
 * A parsed Sparkplug B topic: {@code
 * spBv1.0/<group_id>/<message_type>/<edge_node_id>[/<device_id>]}, or {@code
 * spBv1.0/STATE/<host_id>} for a host application's state.
 *
 * <pre>{@code
 * SparkplugTopic t = SparkplugTopic.parse("spBv1.0/plant-sh/DDATA/line-3/m01");
 * t.type();        // DDATA
 * t.groupId();     // plant-sh
 * t.edgeNodeId();  // line-3
 * t.deviceId();    // m01 (null for node messages)
 * }</pre>
 *
 * @param type the message type
 * @param groupId the group; null for STATE
 * @param edgeNodeId the edge node; null for STATE
 * @param deviceId the device for DBIRTH, DDEATH, DDATA and DCMD; null otherwise
 * @param hostId the host application for STATE; null otherwise
 */
public record SparkplugTopic(
    SparkplugMessageType type, String groupId, String edgeNodeId, String deviceId, String hostId) {

  /** The first level of every Sparkplug B topic. */
  public static final String NAMESPACE = "spBv1.0";

  public SparkplugTopic {
    Objects.requireNonNull(type, "type");
    String problem = problem(type, groupId, edgeNodeId, deviceId, hostId);
    if (problem != null) {
      throw new IllegalArgumentException("Invalid Sparkplug topic: " + problem);
    }
  }

  /** The topic of a message of an edge node (NBIRTH, NDEATH, NDATA, NCMD). */
  public static SparkplugTopic node(SparkplugMessageType type, String groupId, String edgeNodeId) {
    return new SparkplugTopic(type, groupId, edgeNodeId, null, null);
  }

  /** The topic of a message of a device (DBIRTH, DDEATH, DDATA, DCMD). */
  public static SparkplugTopic device(
      SparkplugMessageType type, String groupId, String edgeNodeId, String deviceId) {
    return new SparkplugTopic(type, groupId, edgeNodeId, deviceId, null);
  }

  /**
   * Parses an MQTT topic.
   *
   * @throws InvalidSparkplugTopicException naming the topic and what is wrong with it
   */
  public static SparkplugTopic parse(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new InvalidSparkplugTopicException("Invalid Sparkplug topic: empty");
    }
    String[] parts = topic.split("/", -1);
    if (!parts[0].equals(NAMESPACE)) {
      throw invalid(topic, "expected it to start with " + NAMESPACE + "/, got '" + parts[0] + "'");
    }
    if (parts.length >= 2 && parts[1].equals("STATE")) {
      if (parts.length != 3) {
        throw invalid(topic, "expected " + NAMESPACE + "/STATE/<host_id>");
      }
      return build(topic, SparkplugMessageType.STATE, null, null, null, parts[2]);
    }
    if (parts.length < 4) {
      throw invalid(
          topic,
          "expected "
              + NAMESPACE
              + "/<group_id>/<message_type>/<edge_node_id>[/<device_id>], got "
              + parts.length
              + " levels");
    }
    SparkplugMessageType type = messageType(topic, parts[2]);
    if (type == SparkplugMessageType.STATE) {
      throw invalid(topic, "STATE belongs at " + NAMESPACE + "/STATE/<host_id>");
    }
    boolean device = type.scope() == SparkplugMessageType.Scope.DEVICE;
    int expected = device ? 5 : 4;
    if (parts.length != expected) {
      throw invalid(
          topic,
          type
              + (device
                  ? " expects a device: "
                      + NAMESPACE
                      + "/<group_id>/"
                      + type
                      + "/<edge_node_id>/<device_id>"
                  : " is an edge node message: "
                      + NAMESPACE
                      + "/<group_id>/"
                      + type
                      + "/<edge_node_id>"));
    }
    return build(topic, type, parts[1], parts[3], device ? parts[4] : null, null);
  }

  /** The MQTT topic string. */
  @Override
  public String toString() {
    return switch (type.scope()) {
      case HOST -> NAMESPACE + "/STATE/" + hostId;
      case NODE -> NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId;
      case DEVICE -> NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId + "/" + deviceId;
    };
  }

  /** {@code group_id/edge_node_id}: the edge node descriptor, unique in a Sparkplug system. */
  public String edgeNodeDescriptor() {
    return groupId + "/" + edgeNodeId;
  }

  /** Whether this topic addresses a device rather than its edge node. */
  public boolean isDeviceMessage() {
    return deviceId != null;
  }

  private static SparkplugMessageType messageType(String topic, String text) {
    try {
      return SparkplugMessageType.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw invalid(
          topic,
          "unknown message type '"
              + text
              + "', expected one of NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD, STATE");
    }
  }

  private static SparkplugTopic build(
      String topic,
      SparkplugMessageType type,
      String group,
      String edge,
      String device,
      String host) {
    String problem = problem(type, group, edge, device, host);
    if (problem != null) {
      throw invalid(topic, problem);
    }
    return new SparkplugTopic(type, group, edge, device, host);
  }

  private static String problem(
      SparkplugMessageType type, String group, String edge, String device, String host) {
    return switch (type.scope()) {
      case HOST ->
          group != null || edge != null || device != null
              ? "a STATE topic has only a host_id"
              : idProblem("host_id", host);
      case NODE ->
          device != null || host != null
              ? type + " is an edge node message: it has no device_id"
              : firstProblem(idProblem("group_id", group), idProblem("edge_node_id", edge));
      case DEVICE ->
          host != null
              ? type + " has no host_id"
              : firstProblem(
                  idProblem("group_id", group),
                  firstProblem(idProblem("edge_node_id", edge), idProblem("device_id", device)));
    };
  }

  private static String firstProblem(String a, String b) {
    return a != null ? a : b;
  }

  private static String idProblem(String what, String id) {
    if (id == null || id.isEmpty()) {
      return what + " is empty";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '+' || c == '#') {
        return what + " '" + id + "' contains '" + c + "'";
      }
    }
    return null;
  }

  private static InvalidSparkplugTopicException invalid(String topic, String why) {
    return new InvalidSparkplugTopicException("Invalid Sparkplug topic " + topic + ": " + why);
  }
}
