package io.ironlake.collector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.spool.SpoolEntry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilterElement;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;

/**
 * The event filter the source subscribes with, and the JSON record each event becomes on the events
 * topic, keyed by the event's source node:
 *
 * <pre>{@code
 * {"collector_id":"edge-1","source":"opcua-plant","notifier":"i=2253","event_id":"3f2a...",
 *  "event_type":"i=2915","source_node":"ns=2;s=plant-sh/assembly/line-1/m01",
 *  "source_name":"plant-sh/assembly/line-1/m01","time":"2026-...Z","time_micros":...,
 *  "ingest_micros":...,"severity":800,"message":"m01 fault",
 *  "condition_id":"ns=2;s=plant-sh/assembly/line-1/m01/fault","condition_name":"fault",
 *  "active":true,"active_state":"Active","acked":false,"acked_state":"Unacknowledged",
 *  "retain":true,"refresh":false}
 * }</pre>
 *
 * Fields the event does not have (a plain event has no condition fields) are {@code null}. {@code
 * refresh} is true for a condition's state sent again by a ConditionRefresh (between the
 * RefreshStart and RefreshEnd events, which themselves are not records).
 */
public final class EventMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The selected fields, in select-clause order. */
  private static final List<Field> FIELDS =
      List.of(
          new Field("event_id", NodeIds.BaseEventType, "EventId"),
          new Field("event_type", NodeIds.BaseEventType, "EventType"),
          new Field("source_node", NodeIds.BaseEventType, "SourceNode"),
          new Field("source_name", NodeIds.BaseEventType, "SourceName"),
          new Field("time", NodeIds.BaseEventType, "Time"),
          new Field("severity", NodeIds.BaseEventType, "Severity"),
          new Field("message", NodeIds.BaseEventType, "Message"),
          new Field("condition_name", NodeIds.ConditionType, "ConditionName"),
          new Field("active", NodeIds.AlarmConditionType, "ActiveState", "Id"),
          new Field("acked", NodeIds.AcknowledgeableConditionType, "AckedState", "Id"),
          new Field("retain", NodeIds.ConditionType, "Retain"),
          // The ConditionId: the NodeId attribute of the condition itself (empty browse path).
          new Field("condition_id", NodeIds.ConditionType, AttributeId.NodeId),
          new Field("active_state", NodeIds.AlarmConditionType, "ActiveState"),
          new Field("acked_state", NodeIds.AcknowledgeableConditionType, "AckedState"));

  private static final int EVENT_TYPE = 1;

  private final String collectorId;
  private final String source;

  public EventMapper(String collectorId, String source) {
    this.collectorId = collectorId;
    this.source = source;
  }

  /** The filter selecting {@link #FIELDS}, without a where clause. */
  public static EventFilter filter() {
    SimpleAttributeOperand[] select = new SimpleAttributeOperand[FIELDS.size()];
    for (int i = 0; i < select.length; i++) {
      Field f = FIELDS.get(i);
      QualifiedName[] path = new QualifiedName[f.path().length];
      for (int j = 0; j < path.length; j++) {
        path[j] = new QualifiedName(0, f.path()[j]);
      }
      select[i] = new SimpleAttributeOperand(f.type(), path, uint(f.attribute().id()), null);
    }
    return new EventFilter(select, new ContentFilter(new ContentFilterElement[0]));
  }

  /**
   * The Kafka key and JSON value of one event.
   *
   * @param notifier the node the event was reported by
   * @param fields the values of the select clauses of {@link #filter()}
   * @param nowMicros the collector's clock
   */
  public SpoolEntry.EncodedPoint toRecord(String notifier, Variant[] fields, long nowMicros) {
    return toRecord(notifier, fields, nowMicros, false);
  }

  /** What a ConditionRefresh event is: its start, its end, or not a refresh marker. */
  public enum Marker {
    NONE,
    REFRESH_START,
    REFRESH_END
  }

  /** Whether the event is a RefreshStart or RefreshEnd event (by its EventType). */
  public static Marker marker(Variant[] fields) {
    Object type =
        fields.length > EVENT_TYPE && fields[EVENT_TYPE] != null
            ? fields[EVENT_TYPE].getValue()
            : null;
    if (NodeIds.RefreshStartEventType.equals(type)) {
      return Marker.REFRESH_START;
    } else if (NodeIds.RefreshEndEventType.equals(type)) {
      return Marker.REFRESH_END;
    }
    return Marker.NONE;
  }

  /**
   * The Kafka key and JSON value of one event.
   *
   * @param notifier the node the event was reported by
   * @param fields the values of the select clauses of {@link #filter()}
   * @param nowMicros the collector's clock
   * @param refresh whether it came within a ConditionRefresh
   */
  public SpoolEntry.EncodedPoint toRecord(
      String notifier, Variant[] fields, long nowMicros, boolean refresh) {
    ObjectNode o = JSON.createObjectNode();
    o.put("collector_id", collectorId);
    o.put("source", source);
    o.put("notifier", notifier);
    for (int i = 0; i < FIELDS.size(); i++) {
      Object v = i < fields.length && fields[i] != null ? fields[i].getValue() : null;
      put(o, FIELDS.get(i).name(), v);
      if (v instanceof DateTime t && FIELDS.get(i).name().equals("time")) {
        o.put("time_micros", Micros.of(t.getJavaInstant()));
      }
    }
    o.put("refresh", refresh);
    o.put("ingest_micros", nowMicros);
    String key =
        !o.path("source_node").isNull() && !o.path("source_node").asText().isEmpty()
            ? o.path("source_node").asText()
            : o.path("source_name").asText(notifier);
    try {
      return new SpoolEntry.EncodedPoint(
          key.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(o));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode an event as JSON: " + e.getMessage(), e);
    }
  }

  private static void put(ObjectNode o, String name, Object v) {
    if (v == null) {
      o.putNull(name);
    } else if (v instanceof ByteString b) {
      o.put(name, b.bytes() == null ? "" : HexFormat.of().formatHex(b.bytes()));
    } else if (v instanceof NodeId n) {
      o.put(name, n.toParseableString());
    } else if (v instanceof ExpandedNodeId n) {
      o.put(name, n.toParseableString());
    } else if (v instanceof DateTime t) {
      o.put(name, t.getJavaInstant().toString());
    } else if (v instanceof LocalizedText t) {
      o.put(name, t.text() == null ? "" : t.text());
    } else if (v instanceof Boolean b) {
      o.put(name, b);
    } else if (v instanceof Number n) {
      o.put(name, n.longValue());
    } else {
      o.put(name, v.toString());
    }
  }

  private record Field(String name, NodeId type, AttributeId attribute, String... path) {
    Field(String name, NodeId type, String... path) {
      this(name, type, AttributeId.Value, path);
    }
  }
}
