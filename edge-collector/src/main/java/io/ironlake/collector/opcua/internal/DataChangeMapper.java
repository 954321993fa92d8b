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
 * the status code; the value by {@link VariantConverter}. Skips a value a re-created subscription
 * sends again (same value, status and source time as the node's last reading).
 */
public final class DataChangeMapper {
  private static final Logger LOG = LoggerFactory.getLogger(DataChangeMapper.class);

  private final String collectorId;
  private final String source;
  private final Map<NodeMapping, Reading> lastReading = new ConcurrentHashMap<>();

  private record Reading(Variant value, StatusCode status, DateTime sourceTime) {}

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
    List<TelemetryPoint> points = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      NodeMapping m = nodes.get(i);
      DataValue dv = values.get(i);
      if (m == null || isRepeat(m, dv)) {
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

  private boolean isRepeat(NodeMapping node, DataValue dv) {
    DateTime sourceTime = dv.sourceTime();
    if (sourceTime == null || sourceTime.isNull()) {
      return false; // Without a source timestamp a repeat cannot be told from a new reading.
    }
    Reading reading = new Reading(dv.value(), dv.statusCode(), sourceTime);
    Reading previous = lastReading.put(node, reading);
    if (reading.equals(previous)) {
      LOG.debug(
          "opcua value sent again after re-subscribing, skipped: source={}, nodeId={}",
          source,
          node.nodeId());
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
