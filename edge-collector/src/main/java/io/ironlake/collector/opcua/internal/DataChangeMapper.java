package io.ironlake.collector.opcua.internal;

import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.internal.Micros;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns OPC UA data changes into points: ts = source time, else server time, else now; quality from
 * the status code; the value by {@link VariantConverter}. Skips a value the server delivers again
 * (same value, status and source time as one of the node's recent readings): a re-created
 * subscription re-sends the last value, and a republished notification message (after a publish
 * response the client thought lost, common on a loaded machine) repeats older ones.
 */
public final class DataChangeMapper {
  private static final Logger LOG = LoggerFactory.getLogger(DataChangeMapper.class);

  private final String collectorId;
  private final String source;

  /** How many recent readings per node a repeat is looked for in. */
  static final int RECENT_READINGS = 64;

  private final Map<NodeMapping, Recent> recent = new ConcurrentHashMap<>();
  private final Map<NodeMapping, Reading> lastUntimed = new ConcurrentHashMap<>();

  private record Reading(Variant value, StatusCode status, DateTime sourceTime) {}

  /** The last {@link #RECENT_READINGS} readings of one node, oldest first. */
  private static final class Recent {
    private final java.util.ArrayDeque<Reading> order = new java.util.ArrayDeque<>();
    private final java.util.Set<Reading> members = new java.util.HashSet<>();

    /** Adds the reading; false if it was already among the recent ones. */
    synchronized boolean add(Reading reading) {
      if (!members.add(reading)) {
        return false;
      }
      order.addLast(reading);
      if (order.size() > RECENT_READINGS) {
        members.remove(order.removeFirst());
      }
      return true;
    }
  }

  public DataChangeMapper(String collectorId, String source) {
    this.collectorId = collectorId;
    this.source = source;
  }

  /**
   * The points of one notification batch, in order; {@code seq} is left 0.
   *
   * @param nodes the node of each value, {@code null} for values to ignore
   * @param values the data values
   * @param nowMicros the collector's clock, for {@code ingest_ts}
   */
  public List<TelemetryPoint> toPoints(
      List<NodeMapping> nodes, List<DataValue> values, long nowMicros) {
    return toPoints(nodes, values, nowMicros, false);
  }

  /**
   * The points of one batch, in order; {@code seq} is left 0.
   *
   * @param polled true for values read by polling: a value without a source timestamp that equals
   *     the node's last reading (value and status) is then a repeat too, since a poll reads the
   *     same value again until it changes
   */
  public List<TelemetryPoint> toPoints(
      List<NodeMapping> nodes, List<DataValue> values, long nowMicros, boolean polled) {
    List<TelemetryPoint> points = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      NodeMapping m = nodes.get(i);
      DataValue dv = values.get(i);
      if (m == null || isRepeat(m, dv, polled)) {
        continue;
      }
      long status = dv.statusCode() == null ? 0L : dv.statusCode().value();
      points.add(
          new TelemetryPoint(
              m.site(),
              m.area(),
              m.line(),
              m.device(),
              m.tag(),
              timestamp(dv, nowMicros),
              nowMicros,
              VariantConverter.toPointValue(dv.value()),
              Quality.fromStatusCode(status),
              status,
              m.unit(),
              collectorId,
              source,
              0L));
    }
    return points;
  }

  private boolean isRepeat(NodeMapping node, DataValue dv, boolean polled) {
    DateTime sourceTime = dv.sourceTime();
    if (sourceTime == null || sourceTime.isNull()) {
      if (!polled) {
        return false; // Without a source timestamp a repeat cannot be told from a new reading.
      }
      Reading reading = new Reading(dv.value(), dv.statusCode(), null);
      return reading.equals(lastUntimed.put(node, reading));
    }
    Reading reading = new Reading(dv.value(), dv.statusCode(), sourceTime);
    if (!recent.computeIfAbsent(node, n -> new Recent()).add(reading)) {
      LOG.info(
          "opcua value delivered again, skipped: source={}, nodeId={}, sourceTime={}",
          source,
          node.nodeId(),
          sourceTime.getJavaInstant());
      return true;
    }
    return false;
  }

  private static long timestamp(DataValue dv, long nowMicros) {
    for (DateTime t : new DateTime[] {dv.sourceTime(), dv.serverTime()}) {
      if (t != null && t.isNotNull() && t.isValid()) {
        return Micros.of(t.getJavaInstant());
      }
    }
    return nowMicros;
  }
}
