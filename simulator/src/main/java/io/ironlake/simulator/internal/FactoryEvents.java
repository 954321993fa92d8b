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
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Raises the simulator's events through Milo's event notifier (they reach event items on the Server
 * object): a BaseEventType event per machine state change, and an AlarmConditionType "fault"
 * condition event, active when a machine goes DOWN and inactive when it recovers.
 */
final class FactoryEvents {
  static final int STATE_SEVERITY = 100;
  static final int FAULT_SEVERITY = 800;
  static final int CLEARED_SEVERITY = 200;

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
        devicePath, HexFormat.of().formatHex(id), false, tsMicros, STATE_SEVERITY, message, false);
  }

  /** An AlarmConditionType event of the device's "fault" condition. */
  EmittedEvent fault(NodeId sourceNode, String devicePath, long tsMicros, boolean active)
      throws UaException {
    byte[] id = newId();
    AlarmConditionTypeNode e =
        (AlarmConditionTypeNode)
            server
                .getEventFactory()
                .createEvent(
                    new NodeId(namespaceIndex, UUID.randomUUID()), NodeIds.AlarmConditionType);
    int severity = active ? FAULT_SEVERITY : CLEARED_SEVERITY;
    String message = devicePath + (active ? " fault: machine DOWN" : " fault cleared");
    fill(e, id, NodeIds.AlarmConditionType, sourceNode, devicePath, tsMicros, severity, message);
    e.setConditionName("fault");
    e.setRetain(active);
    e.setActiveState(LocalizedText.english(active ? "Active" : "Inactive"));
    e.getActiveStateNode().setId(active);
    e.setAckedState(LocalizedText.english("Unacknowledged"));
    e.getAckedStateNode().setId(false);
    e.setEnabledState(LocalizedText.english("Enabled"));
    e.getEnabledStateNode().setId(true);
    try {
      server.getEventNotifier().fire(e);
    } finally {
      e.delete();
    }
    return new EmittedEvent(
        devicePath, HexFormat.of().formatHex(id), true, tsMicros, severity, message, active);
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
    UShort s = ushort(severity);
    e.setSeverity(s);
  }

  private static byte[] newId() {
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
