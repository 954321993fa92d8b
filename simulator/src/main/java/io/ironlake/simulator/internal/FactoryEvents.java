package io.ironlake.simulator.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import io.ironlake.simulator.EmittedEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.model.objects.AlarmConditionTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.ConditionTypeNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * Raises the simulator's events through Milo's event notifier (they reach event items on the Server
 * object): a BaseEventType event per machine state change, and the events of each device's {@code
 * fault} AlarmConditionType condition (a node of the address space, see {@link FactoryNamespace}):
 * active when the machine goes DOWN, inactive when it recovers, acknowledged by an operator. Also
 * the RefreshStart/RefreshEnd events that bracket a ConditionRefresh.
 */
final class FactoryEvents {
  static final int STATE_SEVERITY = 100;
  static final int FAULT_SEVERITY = 800;
  static final int CLEARED_SEVERITY = 200;

  /** The BrowseName and ConditionName of every device's condition. */
  static final String FAULT = "fault";

  private final OpcUaServer server;
  private final int namespaceIndex;

  FactoryEvents(OpcUaServer server, int namespaceIndex) {
    this.server = server;
    this.namespaceIndex = namespaceIndex;
  }

  /** A BaseEventType event: the machine changed state. */
  EmittedEvent stateChanged(
      NodeId sourceNode, String devicePath, long tsMicros, String from, String to)
      throws UaException {
    byte[] id = newId();
    BaseEventTypeNode e =
        server
            .getEventFactory()
            .createEvent(new NodeId(namespaceIndex, UUID.randomUUID()), NodeIds.BaseEventType);
    String message = devicePath + " " + from + " -> " + to;
    fill(e, id, NodeIds.BaseEventType, sourceNode, devicePath, tsMicros, STATE_SEVERITY, message);
    try {
      server.getEventNotifier().fire(e);
    } finally {
      e.delete();
    }
    return new EmittedEvent(
        devicePath,
        HexFormat.of().formatHex(id),
        false,
        tsMicros,
        STATE_SEVERITY,
        message,
        false,
        false,
        false,
        null);
  }

  /**
   * Sets the fixed fields of a device's condition node and its state from {@code c} (a condition
   * created again after a server restart keeps its state and last EventId).
   */
  void initCondition(
      AlarmConditionTypeNode node,
      NodeId sourceNode,
      String devicePath,
      NodeId inputNode,
      FaultConditions.Condition c) {
    node.setEventType(NodeIds.AlarmConditionType);
    node.setSourceNode(sourceNode);
    node.setSourceName(devicePath);
    node.setConditionName(FAULT);
    node.setConditionClassId(NodeIds.ProcessConditionClassType);
    node.setConditionClassName(LocalizedText.english("Process"));
    node.setBranchId(NodeId.NULL_VALUE);
    node.setQuality(StatusCode.GOOD);
    node.setLastSeverity(ushort(c.severity));
    node.setComment(LocalizedText.english(""));
    node.setClientUserId("");
    node.setEnabledState(LocalizedText.english("Enabled"));
    node.getEnabledStateNode().setId(true);
    node.setInputNode(inputNode);
    node.setSuppressedOrShelved(false);
    apply(node, c);
  }

  /**
   * Fires the condition's current state as a new event: a new EventId, Time = {@code tsMicros}.
   *
   * @return what was fired
   */
  EmittedEvent fire(
      AlarmConditionTypeNode node, FaultConditions.Condition c, String message, long tsMicros) {
    c.eventId = newId();
    c.message = message;
    c.tsMicros = tsMicros;
    node.setLastSeverity(node.getSeverity() == null ? ushort(c.severity) : node.getSeverity());
    apply(node, c);
    node.setReceiveTime(DateTime.now());
    server.getEventNotifier().fire(node);
    return emitted(node, c);
  }

  /** The EmittedEvent of the condition's current state (its last event). */
  EmittedEvent emitted(ConditionTypeNode node, FaultConditions.Condition c) {
    return new EmittedEvent(
        node.getSourceName(),
        HexFormat.of().formatHex(c.eventId),
        true,
        c.tsMicros,
        c.severity,
        c.message,
        c.active,
        c.acked,
        c.retain(),
        node.getNodeId().toParseableString());
  }

  /** A RefreshStartEventType (start) or RefreshEndEventType event, to be deleted after use. */
  BaseEventTypeNode refreshMarker(boolean start) throws UaException {
    NodeId type = start ? NodeIds.RefreshStartEventType : NodeIds.RefreshEndEventType;
    BaseEventTypeNode e =
        server.getEventFactory().createEvent(new NodeId(namespaceIndex, UUID.randomUUID()), type);
    String name = start ? "RefreshStart" : "RefreshEnd";
    e.setBrowseName(new QualifiedName(1, name));
    e.setDisplayName(LocalizedText.english(name));
    e.setEventId(ByteString.of(newId()));
    e.setEventType(type);
    e.setSourceNode(NodeIds.Server);
    e.setSourceName("Server");
    e.setTime(DateTime.now());
    e.setReceiveTime(DateTime.now());
    e.setMessage(LocalizedText.english(name));
    e.setSeverity(ushort(1));
    return e;
  }

  private static void apply(AlarmConditionTypeNode node, FaultConditions.Condition c) {
    node.setEventId(ByteString.of(c.eventId));
    node.setTime(new DateTime(toInstant(c.tsMicros)));
    node.setMessage(LocalizedText.english(c.message));
    node.setSeverity(ushort(c.severity));
    node.setRetain(c.retain());
    node.setActiveState(LocalizedText.english(c.active ? "Active" : "Inactive"));
    node.getActiveStateNode().setId(c.active);
    node.setAckedState(LocalizedText.english(c.acked ? "Acknowledged" : "Unacknowledged"));
    node.getAckedStateNode().setId(c.acked);
  }

  private static void fill(
      BaseEventTypeNode e,
      byte[] id,
      NodeId type,
      NodeId sourceNode,
      String devicePath,
      long tsMicros,
      int severity,
      String message) {
    e.setBrowseName(new QualifiedName(1, "event"));
    e.setDisplayName(LocalizedText.english("event"));
    e.setEventId(ByteString.of(id));
    e.setEventType(type);
    e.setSourceNode(sourceNode);
    e.setSourceName(devicePath);
    e.setTime(new DateTime(toInstant(tsMicros)));
    e.setReceiveTime(DateTime.now());
    e.setMessage(LocalizedText.english(message));
    e.setSeverity(ushort(severity));
  }

  static byte[] newId() {
    UUID u = UUID.randomUUID();
    return ByteBuffer.allocate(16)
        .putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits())
        .array();
  }

  private static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
  }
}
