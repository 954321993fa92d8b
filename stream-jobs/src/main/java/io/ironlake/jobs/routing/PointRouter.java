package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.SeqDedup;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
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
 * no side output (counted in {@value #UNROUTED_METRIC}). The answers are remembered per {@link
 * RouteKey} until the catalog in effect changes ({@link PointFilter}'s contract). One step, so a
 * point is handed from the dedup to the routes without crossing an exchange.
 */
final class PointRouter
    extends KeyedBroadcastProcessFunction<
        String, TelemetryPoint, PublishedCatalog, TelemetryPoint> {
  private static final long serialVersionUID = 2L;

  /** Name of the counter of points that no route wanted. */
  static final String UNROUTED_METRIC = "unroutedPoints";

  /** Name prefix of the counter of points sent to one route ({@code routedPoints.<route>}). */
  static final String ROUTED_METRIC = "routedPoints";

  /** Keys remembered at most; beyond, the memo starts again. */
  private static final int MEMO_LIMIT = 100_000;

  /** Routes at most (one bit each in the memo). */
  static final int MAX_ROUTES = 64;

  private final SeqDedup dedup;
  private final List<PointRoute> routes;
  private final RulesInEffect rules;
  private transient PointFilter[] filters;
  private transient OutputTag<TelemetryPoint>[] tags;
  private transient Counter[] routed;
  private transient Counter unrouted;
  private transient RuleCatalog memoFor;
  private transient Map<RouteKey, Long> memo;

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
  public void processElement(
      TelemetryPoint point, ReadOnlyContext ctx, Collector<TelemetryPoint> out) throws Exception {
    if (!dedup.isNew(point, ctx.getCurrentKey())) {
      return;
    }
    out.collect(point);
    RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
    if (catalog != memoFor || memo.size() >= MEMO_LIMIT) {
      // A new catalog (or too many keys): answers are computed again.
      memo = new HashMap<>();
      memoFor = catalog;
    }
    RouteKey key = RouteKey.of(point);
    Long wanted = memo.get(key);
    if (wanted == null) {
      wanted = wantedBy(point, catalog);
      memo.put(key, wanted);
    }
    long bits = wanted;
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
