package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.DedupFunction;
import io.ironlake.jobs.internal.SeqDedup;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.rules.LiveRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The deduplicated points as each consumer operator gets them: either every point to every consumer
 * ({@link #unrouted}), or, from one step that deduplicates and routes ({@link
 * #deduplicateAndRoute}), only the points whose filter accepts them under the catalog in effect, so
 * the other points never cross the consumer's keyed exchange. Either way {@link #all} is every
 * deduplicated point.
 *
 * <pre>{@code
 * RoutedPoints routed =
 *     RoutedPoints.deduplicateAndRoute(
 *         raw, new SeqDedup(ttl, window), LiveRules.fromKafka(env, config, "router"), routes, "dedup");
 * EnergyJob.energyRows(routed.of(EnergyJob.ROUTE), rules);
 * }</pre>
 */
public final class RoutedPoints {
  private final DataStream<TelemetryPoint> all;
  private final SingleOutputStreamOperator<TelemetryPoint> router;
  private final Map<String, PointRoute> routes;

  private RoutedPoints(
      DataStream<TelemetryPoint> all,
      SingleOutputStreamOperator<TelemetryPoint> router,
      Map<String, PointRoute> routes) {
    this.all = all;
    this.router = router;
    this.routes = routes;
  }

  /** Every point to every consumer: for a job with its own source, or without a router. */
  public static RoutedPoints unrouted(DataStream<TelemetryPoint> points) {
    return new RoutedPoints(points, null, Map.of());
  }

  /**
   * One step on the raw points, keyed by the device path ({@link DedupFunction#KEY}) and connected
   * to the rules broadcast: it drops duplicates ({@code dedup}), then sends each new point to the
   * side output of every route that wants it, and every new point to its main output ({@link
   * #all}). Operator name {@code dedup-and-route}, uid {@code uid}; the dedup state is {@link
   * DedupFunction}'s, so a savepoint of either restores the other under the same uid.
   *
   * @throws IllegalArgumentException when two routes have the same name
   */
  public static RoutedPoints deduplicateAndRoute(
      DataStream<TelemetryPoint> raw,
      SeqDedup dedup,
      LiveRules rules,
      List<PointRoute> routes,
      String uid) {
    Map<String, PointRoute> byName = new LinkedHashMap<>();
    for (PointRoute r : routes) {
      if (byName.put(r.name(), r) != null) {
        throw new IllegalArgumentException("Invalid routes: route " + r.name() + " twice");
      }
    }
    SingleOutputStreamOperator<TelemetryPoint> router =
        raw.keyBy(DedupFunction.KEY)
            .connect(rules.broadcast())
            .process(
                new PointRouter(dedup, List.copyOf(byName.values()), rules.initial()),
                TelemetryPointTypeInfo.INSTANCE)
            .name("dedup-and-route")
            .uid(uid);
    return new RoutedPoints(router, router, Map.copyOf(byName));
  }

  /** Every deduplicated point. */
  public DataStream<TelemetryPoint> all() {
    return all;
  }

  /**
   * The points of {@code route}: its side output of the router, or every point when unrouted.
   *
   * @throws IllegalArgumentException when the router was built without this route
   */
  public DataStream<TelemetryPoint> of(PointRoute route) {
    if (router == null) {
      return all;
    }
    if (!routes.containsKey(route.name())) {
      throw new IllegalArgumentException(
          "Cannot route points to "
              + route.name()
              + ": the router was built for "
              + routes.keySet());
    }
    return router.getSideOutput(route.tag());
  }

  /** Whether a router sits in front of the consumers. */
  public boolean routed() {
    return router != null;
  }
}
