package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;

/**
 * What a {@link PointFilter} may look at: the point's device path, tag, quality and kind of value;
 * the router remembers each route's answer per key (for one catalog).
 *
 * @param site the site
 * @param area the area
 * @param line the line
 * @param device the device
 * @param tag the tag
 * @param quality the quality
 * @param valueKind 0 a finite double, 1 a non-finite double, 2 a long, 3 a boolean, 4 a string
 */
record RouteKey(
    String site,
    String area,
    String line,
    String device,
    String tag,
    Quality quality,
    int valueKind) {

  /** The key of a point. */
  static RouteKey of(TelemetryPoint p) {
    return new RouteKey(
        p.site(), p.area(), p.line(), p.device(), p.tag(), p.quality(), kind(p.value()));
  }

  private static int kind(PointValue v) {
    if (v instanceof PointValue.DoubleValue d) {
      return Double.isFinite(d.value()) ? 0 : 1;
    }
    if (v instanceof PointValue.LongValue) {
      return 2;
    }
    return v instanceof PointValue.BooleanValue ? 3 : 4;
  }
}
