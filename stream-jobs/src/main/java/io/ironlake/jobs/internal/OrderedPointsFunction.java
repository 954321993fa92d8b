package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a key's points to {@link #onPoint} in timestamp order, in event time: points wait in state
 * until the watermark passes them (so points out of order within the watermark's bound are
 * handled), then are taken oldest first. A point already behind the watermark on arrival is late:
 * counted ({@value #LATE_METRIC}), logged (1st, 2nd, 4th, 8th, ...) and sent to the side output
 * given, never silently dropped. Output is emitted from event-time timers, so it carries the
 * timestamp of the point that caused it.
 *
 * <p>The rules come from the broadcast input ({@link LiveRules}): {@link #rules} is the newest
 * catalog published there, else the initial one; a point is taken with the rules in effect when it
 * is handled, so a change applies from the next points (subgroups, samples, shifts) on.
 */
public abstract class OrderedPointsFunction<OUT>
    extends KeyedBroadcastProcessFunction<String, TelemetryPoint, PublishedCatalog, OUT> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(OrderedPointsFunction.class);

  /** Name of the counter of late points. */
  public static final String LATE_METRIC = "latePoints";

  private final String name;
  private final OutputTag<TelemetryPoint> lateTag;
  private final RulesInEffect rules;

  /** Points waiting for the watermark, by millisecond (the timer that takes them), oldest first. */
  private transient MapState<Long, List<TelemetryPoint>> pending;

  /**
   * The same, by microsecond, as savepoints of earlier builds hold them: drained by the timers
   * restored with them, so a restore from such a savepoint loses no waiting point.
   */
  private transient MapState<Long, List<TelemetryPoint>> pendingByMicros;

  private transient Counter late;

  /**
   * @param name the operator's name in logs
   * @param lateTag where late points go
   * @param initial the rules until a catalog is published
   */
  protected OrderedPointsFunction(
      String name, OutputTag<TelemetryPoint> lateTag, RuleCatalog initial) {
    this.name = name;
    this.lateTag = lateTag;
    this.rules = new RulesInEffect(initial, name);
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    pending = getRuntimeContext().getMapState(pendingDescriptor("pendingByMillis"));
    pendingByMicros = getRuntimeContext().getMapState(pendingDescriptor("pending"));
    late = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
    rules.register(getRuntimeContext().getMetricGroup());
    openState();
  }

  private static MapStateDescriptor<Long, List<TelemetryPoint>> pendingDescriptor(String name) {
    return new MapStateDescriptor<>(
        name, Types.LONG, new ListTypeInfo<>(TelemetryPointTypeInfo.INSTANCE));
  }

  /** Creates the subclass's state handles. */
  protected abstract void openState() throws Exception;

  /** One point of the current key, in timestamp order. */
  protected abstract void onPoint(TelemetryPoint point, OnTimerContext ctx, Collector<OUT> out)
      throws Exception;

  /**
   * Called after the points up to {@code timestamp} (milliseconds, the watermark reached) were
   * handled; no point at or before it can come any more.
   */
  protected void afterPoints(long timestamp, OnTimerContext ctx, Collector<OUT> out)
      throws Exception {}

  /**
   * Whether the point has a rule here; others are dropped on arrival (not kept in state). A point
   * kept is handled with the rules in effect when the watermark passes it.
   */
  protected boolean accepts(TelemetryPoint point, RuleCatalog rules) {
    return true;
  }

  /** The catalog in effect. */
  protected final RuleCatalog rules(ReadOnlyContext ctx) throws Exception {
    return rules.current(ctx.getBroadcastState(LiveRules.STATE));
  }

  /**
   * The version of the catalog in effect, for the {@code rules_version} column (0: the initial
   * catalog).
   */
  protected final long rulesVersion(ReadOnlyContext ctx) throws Exception {
    return rules.version(ctx.getBroadcastState(LiveRules.STATE));
  }

  @Override
  public void processBroadcastElement(PublishedCatalog catalog, Context ctx, Collector<OUT> out)
      throws Exception {
    rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
  }

  @Override
  public void processElement(TelemetryPoint point, ReadOnlyContext ctx, Collector<OUT> out)
      throws Exception {
    if (accepts(point, rules(ctx))) {
      keep(point, ctx);
    }
  }

  /**
   * Keeps an accepted point until the watermark passes it, or sends it to the late side output when
   * it is already behind; for a subclass's own {@code processElement} that judged it itself.
   */
  protected final void keep(TelemetryPoint point, ReadOnlyContext ctx) throws Exception {
    long millis = Math.floorDiv(point.tsMicros(), 1000L);
    long watermark = ctx.timerService().currentWatermark();
    if (millis <= watermark) {
      late.inc();
      ctx.output(lateTag, point);
      if (Long.bitCount(late.getCount()) == 1) {
        LOG.warn(
            "{} point late: key={}, tag={}, ts={}, watermark={}, lateSoFar={}",
            name,
            ctx.getCurrentKey(),
            point.tag(),
            millis,
            watermark,
            late.getCount());
      }
      return;
    }
    List<TelemetryPoint> list = pending.get(millis);
    if (list == null) {
      list = new ArrayList<>(4);
      list.add(point);
      ctx.timerService().registerEventTimeTimer(millis);
    } else {
      // Changed in place, then put: the heap backend hands out a copy while a snapshot holds the
      // entry, RocksDB a fresh one every time. Points of one millisecond are few: keep them in
      // microsecond order, arrivals of the same microsecond in arrival order.
      int at = list.size();
      while (at > 0 && list.get(at - 1).tsMicros() > point.tsMicros()) {
        at--;
      }
      list.add(at, point);
    }
    pending.put(millis, list);
  }

  /**
   * Takes the points of this millisecond: timers fire in timestamp order, so every earlier point
   * was taken by an earlier timer, and no state is scanned.
   */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
    if (!pendingByMicros.isEmpty()) {
      takeRestored(timestamp, ctx, out);
    }
    List<TelemetryPoint> points = pending.get(timestamp);
    if (points != null) {
      pending.remove(timestamp);
    }
    onPoints(points == null ? List.of() : points, timestamp, ctx, out);
  }

  /**
   * The points of one timer ({@code timestamp}, the watermark reached; maybe none), in timestamp
   * order, then the end of that millisecond: {@link #onPoint} for each, then {@link #afterPoints}.
   * A subclass may override it to read and write its state once per timer instead of per point; the
   * rules in effect cannot change within one call.
   */
  protected void onPoints(
      List<TelemetryPoint> points, long timestamp, OnTimerContext ctx, Collector<OUT> out)
      throws Exception {
    for (TelemetryPoint p : points) {
      onPoint(p, ctx, out);
    }
    afterPoints(timestamp, ctx, out);
  }

  /** Takes the points up to {@code timestamp} that a savepoint of an earlier build held. */
  private void takeRestored(long timestamp, OnTimerContext ctx, Collector<OUT> out)
      throws Exception {
    List<Long> due = new ArrayList<>();
    for (Map.Entry<Long, List<TelemetryPoint>> entry : pendingByMicros.entries()) {
      if (Math.floorDiv(entry.getKey(), 1000L) <= timestamp) {
        due.add(entry.getKey());
      }
    }
    due.sort(Long::compare);
    for (Long ts : due) {
      List<TelemetryPoint> points = pendingByMicros.get(ts);
      pendingByMicros.remove(ts);
      for (TelemetryPoint p : points) {
        onPoint(p, ctx, out);
      }
    }
  }
}
