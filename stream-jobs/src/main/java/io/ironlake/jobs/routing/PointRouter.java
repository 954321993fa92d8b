package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.SeqDedup;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by the device path: drops duplicates ({@link SeqDedup}), emits every new point on its main
 * output (for the consumers of every point, e.g. ingest; nothing is sent when none is attached) and
 * sends it to the side output of every route whose filter accepts it under the catalog in effect
 * (the newest one from the broadcast input, else the initial one); a point no route wants goes to
 * no side output (counted in {@value #UNROUTED_METRIC}). The answers are remembered per device
 * path, tag, quality and kind of value until the catalog in effect changes ({@link PointFilter}'s
 * contract). One step, so a point is handed from the dedup to the routes without crossing an
 * exchange.
 */
final class PointRouter
    extends KeyedBroadcastProcessFunction<
        String, TelemetryPoint, PublishedCatalog, TelemetryPoint> {
  private static final long serialVersionUID = 2L;

  /** Name of the counter of points that no route wanted. */
  static final String UNROUTED_METRIC = "unroutedPoints";

  /** Name prefix of the counter of points sent to one route ({@code routedPoints.<route>}). */
  static final String ROUTED_METRIC = "routedPoints";

  /** Device path and tag pairs remembered at most; beyond, the memo starts again. */
  private static final int MEMO_LIMIT = 100_000;

  /** Routes at most (one bit each in the memo; the sign bit stays free for {@link #UNKNOWN}). */
  static final int MAX_ROUTES = 63;

  /** A memo slot not yet computed. */
  private static final long UNKNOWN = -1L;

  private static final int QUALITIES = Quality.values().length;

  /** Kinds of value a {@link PointFilter} may tell apart ({@link #kind}). */
  private static final int KINDS = 5;

  private final SeqDedup dedup;
  private final List<PointRoute> routes;
  private final RulesInEffect rules;
  private transient PointFilter[] filters;
  private transient OutputTag<TelemetryPoint>[] tags;
  private transient Counter[] routed;
  private transient Counter unrouted;
  private transient RuleCatalog memoFor;

  /** Answers by device path, tag, then quality and kind of value ({@link #UNKNOWN}: not yet). */
  private transient Map<String, Map<String, long[]>> memo;

  private transient int memoSize;

  PointRouter(SeqDedup dedup, List<PointRoute> routes, RuleCatalog initial) {
    if (routes.size() > MAX_ROUTES) {
      throw new IllegalArgumentException(
          "Invalid routes: " + routes.size() + " routes, expected at most " + MAX_ROUTES);
    }
    this.dedup = dedup;
    this.routes = List.copyOf(routes);
    this.rules = new RulesInEffect(initial, "point-router");
  }

  @Override
  @SuppressWarnings("unchecked")
  public void open(OpenContext openContext) {
    dedup.open(getRuntimeContext());
    int n = routes.size();
    filters = new PointFilter[n];
    tags = new OutputTag[n];
    routed = new Counter[n];
    for (int i = 0; i < n; i++) {
      PointRoute r = routes.get(i);
      filters[i] = r.filter();
      tags[i] = r.tag();
      routed[i] = getRuntimeContext().getMetricGroup().counter(ROUTED_METRIC + "." + r.name());
    }
    unrouted = getRuntimeContext().getMetricGroup().counter(UNROUTED_METRIC);
    rules.register(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processBroadcastElement(
      PublishedCatalog catalog, Context ctx, Collector<TelemetryPoint> out) throws Exception {
    rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryPoint> out)
      throws Exception {
    dedup.onTimer(timestamp, ctx.timerService());
  }

  @Override
  public void processElement(
      TelemetryPoint point, ReadOnlyContext ctx, Collector<TelemetryPoint> out) throws Exception {
    if (!dedup.isNew(point, ctx.getCurrentKey(), ctx.timerService())) {
      return;
    }
    out.collect(point);
    RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
    if (catalog != memoFor || memoSize >= MEMO_LIMIT) {
      // A new catalog (or too many device paths and tags): answers are computed again.
      memo = new HashMap<>();
      memoSize = 0;
      memoFor = catalog;
    }
    // By device path (built for the key already) and tag: no key object or hash of five strings.
    Map<String, long[]> byTag = memo.get(point.devicePath());
    if (byTag == null) {
      byTag = new HashMap<>();
      memo.put(point.devicePath(), byTag);
    }
    long[] answers = byTag.get(point.tag());
    if (answers == null) {
      answers = new long[QUALITIES * KINDS];
      Arrays.fill(answers, UNKNOWN);
      byTag.put(point.tag(), answers);
      memoSize++;
    }
    int slot = point.quality().ordinal() * KINDS + kind(point.value());
    long bits = answers[slot];
    if (bits == UNKNOWN) {
      bits = wantedBy(point, catalog);
      answers[slot] = bits;
    }
    if (bits == 0) {
      unrouted.inc();
      return;
    }
    for (int i = 0; i < filters.length; i++) {
      if ((bits & (1L << i)) != 0) {
        ctx.output(tags[i], point);
        routed[i].inc();
      }
    }
  }

  /**
   * 0 a finite double, 1 a non-finite double, 2 a long, 3 a boolean, 4 a string: what a {@link
   * PointFilter} may look at of the value.
   */
  private static int kind(PointValue v) {
    if (v instanceof PointValue.DoubleValue d) {
      return Double.isFinite(d.value()) ? 0 : 1;
    }
    if (v instanceof PointValue.LongValue) {
      return 2;
    }
    return v instanceof PointValue.BooleanValue ? 3 : 4;
  }

  /** Bit i set: route i accepts the point. */
  private long wantedBy(TelemetryPoint point, RuleCatalog catalog) {
    long bits = 0;
    for (int i = 0; i < filters.length; i++) {
      if (filters[i].accepts(point, catalog)) {
        bits |= 1L << i;
      }
    }
    return bits;
  }
}
