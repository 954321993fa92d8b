package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.rules.LiveRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The deduplicated points as each consumer operator gets them: either every point to every consumer
 * ({@link #unrouted}), or, behind one routing step ({@link #route}), only the points whose filter
 * accepts them under the catalog in effect, so the other points never cross the consumer's keyed
 * exchange.
 *
 * <pre>{@code
 * RoutedPoints routed =
 *     RoutedPoints.route(points, LiveRules.fromKafka(env, config, "router"), routes, "router");
 * EnergyJob.energyRows(routed.of(EnergyJob.ROUTE), rules);
 * }</pre>
 */
public final class RoutedPoints {
  private final DataStream<TelemetryPoint> all;
  private final SingleOutputStreamOperator<Void> router;
  private final Map<String, PointRoute> routes;

  private RoutedPoints(
      DataStream<TelemetryPoint> all,
      SingleOutputStreamOperator<Void> router,
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
   * One routing step after {@code points} (forward, same parallelism), connected to the rules
   * broadcast, with one side output per route; operator name {@code point-router}, uid {@code uid}.
   *
   * @throws IllegalArgumentException when two routes have the same name
   */
  public static RoutedPoints route(
      DataStream<TelemetryPoint> points, LiveRules rules, List<PointRoute> routes, String uid) {
    Map<String, PointRoute> byName = new LinkedHashMap<>();
    for (PointRoute r : routes) {
      if (byName.put(r.name(), r) != null) {
        throw new IllegalArgumentException("Invalid routes: route " + r.name() + " twice");
      }
    }
    SingleOutputStreamOperator<Void> router =
        points
            .connect(rules.broadcast())
            .process(new PointRouter(List.copyOf(byName.values()), rules.initial()), Types.VOID)
            .name("point-router")
            .uid(uid);
    return new RoutedPoints(points, router, Map.copyOf(byName));
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
