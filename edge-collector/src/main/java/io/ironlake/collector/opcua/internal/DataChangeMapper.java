package io.ironlake.collector.opcua.internal;

import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.internal.Micros;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.time.Instant;
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
 *
 * <p>Milo 1.1.2 does not pass a notification message's sequence number to the listener, so repeats
 * are told by their readings. A reading newer than every reading of its node so far (the usual
 * case) is new without a look at the others; only an older or equal source time is compared with
 * the node's recent readings. The readings are kept as primitives in one array per node, so the
 * check allocates nothing per value.
 *
 * <p>A node's readings are found through its {@link Node}, which the source looks up once ({@link
 * #track}) and keeps as its monitored item's user object: no map lookup per value. The lookup is by
 * mapping value, so a node mapped again (a re-created subscription, a browse after a reconnect)
 * keeps its readings.
 */
public final class DataChangeMapper {
  private static final Logger LOG = LoggerFactory.getLogger(DataChangeMapper.class);

  /** 100 ns ticks from 1601-01-01 (OPC UA's epoch) to 1970-01-01. */
  private static final long EPOCH_DELTA = 116444736000000000L;

  /** Source times from 1970 up to this one convert without an {@link Instant} on the way. */
  private static final long FAST_UNTIL =
      new DateTime(Instant.parse("9999-01-01T00:00:00Z")).getUtcTime();

  private final String collectorId;
  private final String source;

  /** How many recent readings per node a repeat is looked for in. */
  static final int RECENT_READINGS = 64;

  private final Map<NodeMapping, Recent> recent = new ConcurrentHashMap<>();

  private record Reading(Variant value, StatusCode status) {}

  /**
   * A mapped node and its recent readings, as {@link #toPoints} takes it.
   *
   * @see #track
   */
  public static final class Node {
    private final NodeMapping mapping;
    private final Recent recent;

    private Node(NodeMapping mapping, Recent recent) {
      this.mapping = mapping;
      this.recent = recent;
    }

    public NodeMapping mapping() {
      return mapping;
    }

    @Override
    public String toString() {
      return mapping.nodeId();
    }
  }

  /**
   * The last {@link #RECENT_READINGS} readings of one node, written round-robin: source time,
   * status and value of each, the value as its kind and 64 bits (a double's bits, a long, a boolean
   * as 0/1); only text values keep a reference, in an array made when the first one comes. About
   * 1.4 KB per node.
   */
  private static final class Recent {
    private static final byte DOUBLE = 0;
    private static final byte LONG = 1;
    private static final byte BOOLEAN = 2;
    private static final byte TEXT = 3;

    private final long[] times = new long[RECENT_READINGS];
    private final long[] bits = new long[RECENT_READINGS];
    private final int[] statuses = new int[RECENT_READINGS];
    private final byte[] kinds = new byte[RECENT_READINGS];
    private String[] texts;
    private Reading lastUntimed; // polling: the last reading without a source time
    private int next;
    private int size;
    private long newest = Long.MIN_VALUE;

    /** Adds the reading; false if it was already among the recent ones. */
    synchronized boolean add(long time, long status, PointValue value) {
      byte kind;
      long valueBits;
      String text = null;
      if (value instanceof PointValue.DoubleValue d) {
        kind = DOUBLE;
        valueBits = Double.doubleToLongBits(d.value());
      } else if (value instanceof PointValue.LongValue l) {
        kind = LONG;
        valueBits = l.value();
      } else if (value instanceof PointValue.BooleanValue b) {
        kind = BOOLEAN;
        valueBits = b.value() ? 1 : 0;
      } else {
        kind = TEXT;
        text = value.asText();
        valueBits = text.hashCode();
      }
      if (time <= newest && contains(time, (int) status, kind, valueBits, text)) {
        return false;
      }
      times[next] = time;
      statuses[next] = (int) status;
      kinds[next] = kind;
      bits[next] = valueBits;
      if (text != null || texts != null) {
        if (texts == null) {
          texts = new String[RECENT_READINGS];
        }
        texts[next] = text;
      }
      next = (next + 1) % RECENT_READINGS;
      size = Math.min(RECENT_READINGS, size + 1);
      newest = Math.max(newest, time);
      return true;
    }

    /** Takes a polled reading without a source time; false if it equals the last such one. */
    synchronized boolean addUntimed(Reading reading) {
      boolean same = reading.equals(lastUntimed);
      lastUntimed = reading;
      return !same;
    }

    private boolean contains(long time, int status, byte kind, long valueBits, String text) {
      for (int i = 0; i < size; i++) {
        if (times[i] == time
            && statuses[i] == status
            && kinds[i] == kind
            && bits[i] == valueBits
            && (kind != TEXT || text.equals(texts[i]))) {
          return true;
        }
      }
      return false;
    }
  }

  public DataChangeMapper(String collectorId, String source) {
    this.collectorId = collectorId;
    this.source = source;
  }

  /** The node of a mapping, with the readings kept for an equal mapping before. */
  public Node track(NodeMapping mapping) {
    return new Node(mapping, recent.computeIfAbsent(mapping, m -> new Recent()));
  }

  /**
   * The points of one batch, in order; {@code seq} is left 0.
   *
   * @param nodes the node of each value ({@link #track}), {@code null} for values to ignore
   * @param values the data values
   * @param nowMicros the collector's clock, for {@code ingest_ts}
   * @param polled true for values read by polling: a value without a source timestamp that equals
   *     the node's last reading (value and status) is then a repeat too, since a poll reads the
   *     same value again until it changes
   */
  public List<TelemetryPoint> toPoints(
      List<Node> nodes, List<DataValue> values, long nowMicros, boolean polled) {
    List<TelemetryPoint> points = new ArrayList<>(nodes.size());
    int repeats = 0;
    NodeMapping firstRepeat = null;
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      DataValue dv = values.get(i);
      if (node == null) {
        continue;
      }
      NodeMapping m = node.mapping;
      long status = dv.statusCode() == null ? 0L : dv.statusCode().value();
      PointValue value = VariantConverter.toPointValue(dv.value());
      if (isRepeat(node.recent, dv, status, value, polled)) {
        if (repeats++ == 0) {
          firstRepeat = m;
        }
        continue;
      }
      points.add(
          new TelemetryPoint(
              m.site(),
              m.area(),
              m.line(),
              m.device(),
              m.tag(),
              timestamp(dv, nowMicros),
              nowMicros,
              value,
              Quality.fromStatusCode(status),
              status,
              m.unit(),
              collectorId,
              source,
              0L));
    }
    if (repeats > 0) {
      LOG.info(
          "opcua values delivered again, skipped: source={}, values={}, firstNodeId={}",
          source,
          repeats,
          firstRepeat.nodeId());
    }
    return points;
  }

  private static boolean isRepeat(
      Recent r, DataValue dv, long status, PointValue value, boolean polled) {
    DateTime sourceTime = dv.sourceTime();
    if (sourceTime == null || sourceTime.isNull()) {
      if (!polled) {
        return false; // Without a source timestamp a repeat cannot be told from a new reading.
      }
      return !r.addUntimed(new Reading(dv.value(), dv.statusCode()));
    }
    return !r.add(sourceTime.getUtcTime(), status, value);
  }

  private static long timestamp(DataValue dv, long nowMicros) {
    long t = micros(dv.sourceTime());
    if (t != Long.MIN_VALUE) {
      return t;
    }
    t = micros(dv.serverTime());
    return t != Long.MIN_VALUE ? t : nowMicros;
  }

  /** Microseconds since the epoch of a set, valid time; {@code Long.MIN_VALUE} otherwise. */
  private static long micros(DateTime t) {
    if (t == null || t.isNull()) {
      return Long.MIN_VALUE;
    }
    long utc = t.getUtcTime();
    if (utc >= EPOCH_DELTA && utc < FAST_UNTIL) {
      return (utc - EPOCH_DELTA) / 10; // what Micros.of(t.getJavaInstant()) gives, without it
    }
    return t.isValid() ? Micros.of(t.getJavaInstant()) : Long.MIN_VALUE;
  }
}
