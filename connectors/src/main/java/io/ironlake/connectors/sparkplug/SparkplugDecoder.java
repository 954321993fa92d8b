package io.ironlake.connectors.sparkplug;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.sparkplug.internal.MetricDef;
import io.ironlake.connectors.sparkplug.internal.MetricTable;
import io.ironlake.connectors.sparkplug.internal.MetricValues;
import io.ironlake.connectors.sparkplug.internal.proto.SpbMetric;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPayload;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertySet;
import io.ironlake.connectors.sparkplug.internal.proto.SpbPropertyValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the Sparkplug B messages of one MQTT source, the way a Sparkplug host application does:
 * it learns each edge node's and device's metrics (names, aliases, data types, units) from their
 * NBIRTH and DBIRTH, turns NDATA and DDATA into values, marks every metric BAD on NDEATH and
 * DDEATH, checks sequence numbers, and asks for a rebirth when it cannot read a message.
 *
 * <pre>{@code
 * SparkplugDecoder decoder = SparkplugDecoder.builder()
 *     .mapping(SparkplugPathMapping.groupAsSite("assembly"))
 *     .sourceName("mqtt-line-3")
 *     .clock(clock)
 *     .build();
 * // for every message on spBv1.0/#:
 * SparkplugResult result = decoder.decode(topic, payload);
 * }</pre>
 *
 * <p>Stateful, one per MQTT source (connection); thread-safe, but meant to be fed in message order
 * from one thread. Invalid input never throws: it comes back as {@link SparkplugResult.Refused} or
 * {@link SparkplugResult.RebirthNeeded}.
 */
public final class SparkplugDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(SparkplugDecoder.class);

  /** OPC UA Bad_NoCommunication: the status of every metric after a death certificate. */
  public static final long STATUS_NO_COMMUNICATION = 0x8031_0000L;

  /** OPC UA Bad: a metric whose {@code Quality} property is 0 (BAD). */
  public static final long STATUS_BAD = 0x8000_0000L;

  /** OPC UA Uncertain_LastUsableValue: a metric whose {@code Quality} property is 500 (STALE). */
  public static final long STATUS_STALE = 0x4090_0000L;

  /** Default of {@link Builder#rebirthInterval}. */
  public static final Duration REBIRTH_INTERVAL_DEFAULT = Duration.ofSeconds(5);

  private final SparkplugPathMapping mapping;
  private final Clock clock;
  private final Duration rebirthInterval;
  private final boolean rebirthOnSequenceGap;
  private final String sourceName;
  private final Map<String, NodeSession> nodes = new HashMap<>();

  private SparkplugDecoder(Builder b) {
    this.mapping = b.mapping;
    this.clock = b.clock;
    this.rebirthInterval = b.rebirthInterval;
    this.rebirthOnSequenceGap = b.rebirthOnSequenceGap;
    this.sourceName = b.sourceName;
  }

  /** A builder with the defaults: {@code groupAsSite("default")}, system UTC clock, 5 s. */
  public static Builder builder() {
    return new Builder();
  }

  /** Decodes one MQTT message; never throws for bad input. */
  public synchronized SparkplugResult decode(String mqttTopic, byte[] payload) {
    SparkplugTopic topic;
    try {
      topic = SparkplugTopic.parse(mqttTopic);
    } catch (InvalidSparkplugTopicException e) {
      return new SparkplugResult.Refused(String.valueOf(mqttTopic), e.getMessage());
    }
    switch (topic.type()) {
      case STATE:
        return new SparkplugResult.Ignored(
            mqttTopic, "STATE of Sparkplug host application " + topic.hostId() + ": not telemetry");
      case NCMD:
      case DCMD:
        return new SparkplugResult.Ignored(
            mqttTopic, "Sparkplug command " + topic.type() + ": not telemetry");
      default:
        break;
    }
    SpbPayload message;
    try {
      message = SpbPayload.parseFrom(payload == null ? new byte[0] : payload);
    } catch (InvalidProtocolBufferException e) {
      return new SparkplugResult.Refused(
          mqttTopic, "Malformed Sparkplug B payload on " + mqttTopic + ": " + e.getMessage());
    }
    try {
      return switch (topic.type()) {
        case NBIRTH -> nodeBirth(mqttTopic, topic, message);
        case DBIRTH -> deviceBirth(mqttTopic, topic, message);
        case NDATA, DDATA -> data(mqttTopic, topic, message);
        case NDEATH -> nodeDeath(mqttTopic, topic, message);
        case DDEATH -> deviceDeath(mqttTopic, topic, message);
        default -> throw new IllegalStateException("Unhandled type " + topic.type());
      };
    } catch (InvalidSparkplugPayloadException e) {
      return new SparkplugResult.Refused(mqttTopic, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn(
          "sparkplug message could not be decoded: source={}, topic={}, error={}",
          sourceName,
          mqttTopic,
          e.toString());
      return new SparkplugResult.Refused(
          mqttTopic, "Cannot decode Sparkplug message on " + mqttTopic + ": " + e);
    }
  }

  /**
   * The NCMD that asks an edge node for new births, whatever the rebirth interval; {@link #decode}
   * includes one in its results when it needs one.
   */
  public synchronized RebirthRequest rebirthRequest(String groupId, String edgeNodeId) {
    NodeSession s = nodes.get(groupId + "/" + edgeNodeId);
    Long alias = s == null ? null : s.rebirthAlias;
    String topic = SparkplugTopic.node(SparkplugMessageType.NCMD, groupId, edgeNodeId).toString();
    return new RebirthRequest(topic, SparkplugPayloads.rebirthCommand(clock.millis(), alias));
  }

  /** What the decoder knows about an edge node, if it has seen any message of it. */
  public synchronized Optional<EdgeNodeStatus> status(String groupId, String edgeNodeId) {
    NodeSession s = nodes.get(groupId + "/" + edgeNodeId);
    if (s == null) {
      return Optional.empty();
    }
    return Optional.of(
        new EdgeNodeStatus(
            s.groupId, s.edgeNodeId, s.online, s.bdSeq, s.lastSeq, s.births, s.onlineDevices));
  }

  // ---- births -----------------------------------------------------------------------------

  private SparkplugResult nodeBirth(String origin, SparkplugTopic topic, SpbPayload message) {
    NodeSession s = session(topic);
    String what = "NBIRTH from " + topic.edgeNodeDescriptor();
    MetricTable table = MetricTable.fromBirth(what, message.getMetricsList(), s.node);
    long bdSeq = -1;
    MetricDef bdSeqDef = table.byName(SparkplugPayloads.BD_SEQ);
    if (bdSeqDef != null) {
      SpbMetric m = find(message, SparkplugPayloads.BD_SEQ);
      bdSeq =
          m.getValueCase() == SpbMetric.ValueCase.INT_VALUE
              ? Integer.toUnsignedLong(m.getIntValue())
              : m.getLongValue();
    }
    Optional<SequenceGap> gap = Optional.empty();
    if (!message.hasSeq() || message.getSeq() != 0) {
      gap =
          Optional.of(new SequenceGap(s.descriptor(), 0, message.hasSeq() ? message.getSeq() : -1));
    }
    long tsDefault = payloadMillis(message);
    List<DecodedPoint> points = new ArrayList<>();
    DevicePath path = path(topic.groupId(), topic.edgeNodeId(), null);
    List<Pending> pending = values(what, table, message, path, tsDefault, true);

    s.node = table;
    s.online = true;
    s.bdSeq = bdSeq;
    s.lastSeq = message.hasSeq() ? (int) (message.getSeq() & 0xFF) : 0;
    s.births++;
    s.onlineDevices.clear();
    s.deadDevices.clear();
    s.lastRebirthRequest = null;
    MetricDef rebirth = table.byName(SparkplugPayloads.NODE_CONTROL_REBIRTH);
    s.rebirthAlias = rebirth == null ? null : rebirth.alias();
    commit(pending, points, true);
    LOG.info(
        "sparkplug node born: source={}, node={}, bdSeq={}, metrics={}, births={}",
        sourceName,
        s.descriptor(),
        bdSeq,
        table.size(),
        s.births);
    gap.ifPresent(g -> LOG.warn("sparkplug NBIRTH without seq 0: source={}, {}", sourceName, g));
    return new SparkplugResult.Points(origin, topic, points, gap, Optional.empty());
  }

  private SparkplugResult deviceBirth(String origin, SparkplugTopic topic, SpbPayload message) {
    NodeSession s = session(topic);
    String device = topic.deviceId();
    if (!s.online) {
      return rebirthNeeded(
          origin,
          topic,
          s,
          "DBIRTH of device "
              + device
              + " from "
              + s.descriptor()
              + (s.births == 0 ? " before its NBIRTH" : " after its NDEATH"));
    }
    Optional<SequenceGap> gap = checkSeq(s, message);
    String what = "DBIRTH from " + s.descriptor() + "/" + device;
    MetricTable table = MetricTable.fromBirth(what, message.getMetricsList(), s.device(device));
    DevicePath path = path(topic.groupId(), topic.edgeNodeId(), device);
    List<Pending> pending = values(what, table, message, path, payloadMillis(message), true);
    s.devices.put(device, table);
    s.onlineDevices.add(device);
    s.deadDevices.remove(device);
    List<DecodedPoint> points = new ArrayList<>();
    commit(pending, points, true);
    LOG.debug(
        "sparkplug device born: source={}, device={}/{}, metrics={}",
        sourceName,
        s.descriptor(),
        device,
        table.size());
    return new SparkplugResult.Points(origin, topic, points, gap, gapRebirth(topic, s, gap));
  }

  // ---- data -------------------------------------------------------------------------------

  private SparkplugResult data(String origin, SparkplugTopic topic, SpbPayload message) {
    NodeSession s = session(topic);
    String from =
        topic.isDeviceMessage() ? s.descriptor() + "/" + topic.deviceId() : s.descriptor();
    if (!s.online) {
      return rebirthNeeded(
          origin,
          topic,
          s,
          topic.type()
              + " from "
              + from
              + (s.births == 0 ? " before its NBIRTH" : " after its NDEATH"));
    }
    Optional<SequenceGap> gap = checkSeq(s, message);
    MetricTable table = s.node;
    String birth = "NBIRTH";
    if (topic.isDeviceMessage()) {
      birth = "DBIRTH";
      if (!s.onlineDevices.contains(topic.deviceId())) {
        return rebirthNeeded(
            origin,
            topic,
            s,
            "DDATA from "
                + from
                + (s.deadDevices.contains(topic.deviceId())
                    ? " after its DDEATH"
                    : " before its DBIRTH"));
      }
      table = s.device(topic.deviceId());
    }
    for (int i = 0; i < message.getMetricsCount(); i++) {
      SpbMetric m = message.getMetrics(i);
      if (resolve(table, m) == null) {
        String metric =
            m.hasAlias()
                ? "alias " + Long.toUnsignedString(m.getAlias())
                : m.hasName() ? "name '" + m.getName() + "'" : null;
        if (metric == null) {
          throw new InvalidSparkplugPayloadException(
              "Invalid "
                  + topic.type()
                  + " from "
                  + from
                  + ": metric #"
                  + (i + 1)
                  + " has neither alias nor name");
        }
        return rebirthNeeded(
            origin,
            topic,
            s,
            "Unknown Sparkplug metric "
                + metric
                + " in "
                + topic.type()
                + " from "
                + from
                + ": not in its "
                + birth);
      }
    }
    DevicePath path = path(topic.groupId(), topic.edgeNodeId(), topic.deviceId());
    List<Pending> pending =
        values(topic.type() + " from " + from, table, message, path, payloadMillis(message), false);
    List<DecodedPoint> points = new ArrayList<>();
    commit(pending, points, false);
    return new SparkplugResult.Points(origin, topic, points, gap, gapRebirth(topic, s, gap));
  }

  // ---- deaths -----------------------------------------------------------------------------

  private SparkplugResult nodeDeath(String origin, SparkplugTopic topic, SpbPayload message) {
    NodeSession s = nodes.get(topic.edgeNodeDescriptor());
    if (s == null || !s.online) {
      return new SparkplugResult.Ignored(
          origin, "NDEATH from " + topic.edgeNodeDescriptor() + ", which is not online");
    }
    SpbMetric bdSeqMetric = find(message, SparkplugPayloads.BD_SEQ);
    if (bdSeqMetric != null && s.bdSeq >= 0) {
      long bdSeq =
          bdSeqMetric.getValueCase() == SpbMetric.ValueCase.INT_VALUE
              ? Integer.toUnsignedLong(bdSeqMetric.getIntValue())
              : bdSeqMetric.getLongValue();
      if (bdSeq != s.bdSeq) {
        return new SparkplugResult.Ignored(
            origin,
            "Stale NDEATH from "
                + s.descriptor()
                + ": bdSeq "
                + bdSeq
                + ", but the current session's NBIRTH had bdSeq "
                + s.bdSeq);
      }
    }
    long tsMicros = payloadMillis(message) * 1000;
    List<DecodedPoint> points = new ArrayList<>();
    badPoints(s.node, path(topic.groupId(), topic.edgeNodeId(), null), tsMicros, points);
    for (String device : s.onlineDevices) {
      badPoints(
          s.device(device), path(topic.groupId(), topic.edgeNodeId(), device), tsMicros, points);
    }
    s.online = false;
    s.onlineDevices.clear();
    LOG.info(
        "sparkplug node died: source={}, node={}, bdSeq={}, badPoints={}",
        sourceName,
        s.descriptor(),
        s.bdSeq,
        points.size());
    return new SparkplugResult.Points(origin, topic, points, Optional.empty(), Optional.empty());
  }

  private SparkplugResult deviceDeath(String origin, SparkplugTopic topic, SpbPayload message) {
    NodeSession s = nodes.get(topic.edgeNodeDescriptor());
    String device = topic.deviceId();
    if (s == null || !s.online || !s.onlineDevices.contains(device)) {
      return new SparkplugResult.Ignored(
          origin,
          "DDEATH of device "
              + device
              + " from "
              + topic.edgeNodeDescriptor()
              + ", which is not online");
    }
    Optional<SequenceGap> gap = checkSeq(s, message);
    List<DecodedPoint> points = new ArrayList<>();
    badPoints(
        s.device(device),
        path(topic.groupId(), topic.edgeNodeId(), device),
        payloadMillis(message) * 1000,
        points);
    s.onlineDevices.remove(device);
    s.deadDevices.add(device);
    LOG.debug(
        "sparkplug device died: source={}, device={}/{}, badPoints={}",
        sourceName,
        s.descriptor(),
        device,
        points.size());
    return new SparkplugResult.Points(origin, topic, points, gap, gapRebirth(topic, s, gap));
  }

  /**
   * The source lost its connection to the broker: what it knew of every online edge node and device
   * may be out of date. Each of their metrics with a value becomes a point with that last value,
   * quality UNCERTAIN and {@link #STATUS_STALE}, at the clock's time (Sparkplug 3.0: a host
   * application marks the metrics of the nodes it can no longer see STALE). The sessions stay: data
   * after the reconnect decodes, a gap in {@code seq} asks for a rebirth as usual, a death
   * certificate marks them BAD.
   */
  public synchronized List<DecodedPoint> connectionLost() {
    long tsMicros = clock.millis() * 1000;
    List<DecodedPoint> points = new ArrayList<>();
    int nodesMarked = 0;
    for (NodeSession s : nodes.values()) {
      if (!s.online) {
        continue;
      }
      nodesMarked++;
      stalePoints(s.node, path(s.groupId, s.edgeNodeId, null), tsMicros, points);
      for (String device : s.onlineDevices) {
        stalePoints(s.device(device), path(s.groupId, s.edgeNodeId, device), tsMicros, points);
      }
    }
    LOG.info(
        "sparkplug metrics stale after a lost connection: source={}, nodes={}, points={}",
        sourceName,
        nodesMarked,
        points.size());
    return points;
  }

  /** The metrics of a node or device as BAD points: with their last values, else an empty one. */
  private void badPoints(
      MetricTable table, DevicePath path, long tsMicros, List<DecodedPoint> out) {
    markPoints(table, path, tsMicros, Quality.BAD, STATUS_NO_COMMUNICATION, true, out);
  }

  /** The metrics of a node or device that have a value as STALE points with that last value. */
  private void stalePoints(
      MetricTable table, DevicePath path, long tsMicros, List<DecodedPoint> out) {
    markPoints(table, path, tsMicros, Quality.UNCERTAIN, STATUS_STALE, false, out);
  }

  private void markPoints(
      MetricTable table,
      DevicePath path,
      long tsMicros,
      Quality quality,
      long status,
      boolean evenWithoutValue,
      List<DecodedPoint> out) {
    for (MetricDef def : table.metrics()) {
      if (def.isControl()) {
        continue;
      }
      Map<String, PointValue> last = def.lastValues();
      if (last.isEmpty() && evenWithoutValue) {
        last = Map.of(def.name(), PointValue.of(""));
      }
      for (Map.Entry<String, PointValue> e : last.entrySet()) {
        out.add(
            new DecodedPoint(
                path, e.getKey(), tsMicros, e.getValue(), quality, status, def.unit(), false));
      }
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Values of one metric of a message, decoded but not yet remembered. */
  private record Pending(
      MetricDef def,
      long tsMillis,
      Map<String, PointValue> values,
      DevicePath path,
      Quality quality,
      long status,
      boolean historical) {}

  private List<Pending> values(
      String what,
      MetricTable table,
      SpbPayload message,
      DevicePath path,
      long tsDefault,
      boolean birth) {
    List<Pending> pending = new ArrayList<>();
    for (SpbMetric m : message.getMetricsList()) {
      MetricDef def = birth ? table.byName(m.getName()) : resolve(table, m);
      if (def == null || def.isControl()) {
        continue; // a template definition in a birth, or bdSeq / Node Control/*
      }
      Map<String, PointValue> values = new LinkedHashMap<>();
      try {
        MetricValues.collect(def.name(), def.type(), m, values);
      } catch (InvalidSparkplugPayloadException e) {
        throw new InvalidSparkplugPayloadException(e.getMessage() + " (" + what + ")", e);
      }
      if (values.isEmpty()) {
        continue;
      }
      long ts = m.hasTimestamp() ? m.getTimestamp() : tsDefault;
      Quality quality = Quality.GOOD;
      long status = 0;
      Integer code = qualityCode(m.getProperties());
      if (code != null && code == 0) {
        quality = Quality.BAD;
        status = STATUS_BAD;
      } else if (code != null && code == 500) {
        quality = Quality.UNCERTAIN;
        status = STATUS_STALE;
      }
      pending.add(new Pending(def, ts, values, path, quality, status, m.getIsHistorical()));
    }
    return pending;
  }

  private static void commit(List<Pending> pending, List<DecodedPoint> out, boolean birth) {
    for (Pending p : pending) {
      if (birth && p.def().isLast(p.tsMillis(), p.values())) {
        continue; // the birth repeats a value already decoded
      }
      for (Map.Entry<String, PointValue> e : p.values().entrySet()) {
        out.add(
            new DecodedPoint(
                p.path(),
                e.getKey(),
                p.tsMillis() * 1000,
                e.getValue(),
                p.quality(),
                p.status(),
                p.def().unit(),
                p.historical()));
      }
      if (!p.historical()) {
        p.def().remember(p.tsMillis(), p.values());
      }
    }
  }

  private static MetricDef resolve(MetricTable table, SpbMetric m) {
    if (m.hasAlias()) {
      return table.byAlias(m.getAlias());
    }
    return m.hasName() ? table.byName(m.getName()) : null;
  }

  private static SpbMetric find(SpbPayload message, String name) {
    for (SpbMetric m : message.getMetricsList()) {
      if (m.hasName() && m.getName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  private static Integer qualityCode(SpbPropertySet properties) {
    for (int i = 0; i < properties.getKeysCount() && i < properties.getValuesCount(); i++) {
      if (properties.getKeys(i).equals(SparkplugPayloads.QUALITY_PROPERTY)) {
        SpbPropertyValue v = properties.getValues(i);
        if (v.getValueCase() == SpbPropertyValue.ValueCase.INT_VALUE) {
          return v.getIntValue();
        }
        if (v.getValueCase() == SpbPropertyValue.ValueCase.LONG_VALUE) {
          return (int) v.getLongValue();
        }
      }
    }
    return null;
  }

  private long payloadMillis(SpbPayload message) {
    return message.hasTimestamp() ? message.getTimestamp() : clock.millis();
  }

  private Optional<SequenceGap> checkSeq(NodeSession s, SpbPayload message) {
    int expected = (s.lastSeq + 1) % (SparkplugPayloads.MAX_SEQ + 1);
    if (!message.hasSeq()) {
      SequenceGap gap = new SequenceGap(s.descriptor(), expected, -1);
      LOG.warn("sparkplug message without seq: source={}, {}", sourceName, gap.describe());
      return Optional.of(gap);
    }
    long seq = message.getSeq();
    s.lastSeq = (int) (seq & 0xFF);
    if (seq == expected) {
      return Optional.empty();
    }
    SequenceGap gap = new SequenceGap(s.descriptor(), expected, seq);
    LOG.warn("sparkplug sequence gap: source={}, {}", sourceName, gap.describe());
    return Optional.of(gap);
  }

  private Optional<RebirthRequest> gapRebirth(
      SparkplugTopic topic, NodeSession s, Optional<SequenceGap> gap) {
    if (gap.isEmpty() || !rebirthOnSequenceGap) {
      return Optional.empty();
    }
    return throttledRebirth(topic, s);
  }

  private SparkplugResult rebirthNeeded(
      String origin, SparkplugTopic topic, NodeSession s, String reason) {
    Optional<RebirthRequest> request = throttledRebirth(topic, s);
    LOG.warn(
        "sparkplug rebirth needed: source={}, reason={}, requestingNow={}",
        sourceName,
        reason,
        request.isPresent());
    return new SparkplugResult.RebirthNeeded(origin, topic, reason, request);
  }

  private Optional<RebirthRequest> throttledRebirth(SparkplugTopic topic, NodeSession s) {
    Instant now = clock.instant();
    if (s.lastRebirthRequest != null && now.isBefore(s.lastRebirthRequest.plus(rebirthInterval))) {
      return Optional.empty();
    }
    s.lastRebirthRequest = now;
    return Optional.of(rebirthRequest(topic.groupId(), topic.edgeNodeId()));
  }

  private NodeSession session(SparkplugTopic topic) {
    return nodes.computeIfAbsent(
        topic.edgeNodeDescriptor(), d -> new NodeSession(topic.groupId(), topic.edgeNodeId()));
  }

  private DevicePath path(String group, String edge, String device) {
    return Objects.requireNonNull(
        mapping.map(group, edge, device),
        () -> "Sparkplug path mapping returned null for " + group + "/" + edge + "/" + device);
  }

  /** What the decoder knows about one edge node. */
  private static final class NodeSession {
    final String groupId;
    final String edgeNodeId;
    boolean online;
    long bdSeq = -1;
    int lastSeq = -1;
    long births;
    Long rebirthAlias;
    Instant lastRebirthRequest;
    MetricTable node = MetricTable.EMPTY;
    final Map<String, MetricTable> devices = new HashMap<>();
    final Set<String> onlineDevices = new LinkedHashSet<>();
    final Set<String> deadDevices = new HashSet<>();

    NodeSession(String groupId, String edgeNodeId) {
      this.groupId = groupId;
      this.edgeNodeId = edgeNodeId;
    }

    String descriptor() {
      return groupId + "/" + edgeNodeId;
    }

    MetricTable device(String deviceId) {
      return devices.getOrDefault(deviceId, MetricTable.EMPTY);
    }
  }

  /** Builds a {@link SparkplugDecoder}; every setting has a default. */
  public static final class Builder {
    private SparkplugPathMapping mapping = SparkplugPathMapping.groupAsSite("default");
    private Clock clock = Clock.systemUTC();
    private Duration rebirthInterval = REBIRTH_INTERVAL_DEFAULT;
    private boolean rebirthOnSequenceGap = true;
    private String sourceName = "sparkplug";

    private Builder() {}

    /** How group, edge node and device map to the ISA-95 path (default: groupAsSite("default")). */
    public Builder mapping(SparkplugPathMapping mapping) {
      this.mapping = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    /** The clock for missing timestamps and the rebirth interval (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** At most one rebirth request per edge node within this time (default 5 s; 0 = no limit). */
    public Builder rebirthInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException(
            "Invalid value " + interval + " for rebirthInterval: expected a duration >= 0");
      }
      this.rebirthInterval = interval;
      return this;
    }

    /** Whether a sequence gap comes with a rebirth request (default true). */
    public Builder rebirthOnSequenceGap(boolean rebirth) {
      this.rebirthOnSequenceGap = rebirth;
      return this;
    }

    /** The source's name, in every log line (default "sparkplug"). */
    public Builder sourceName(String name) {
      this.sourceName = Objects.requireNonNull(name, "name");
      return this;
    }

    public SparkplugDecoder build() {
      return new SparkplugDecoder(this);
    }
  }
}
