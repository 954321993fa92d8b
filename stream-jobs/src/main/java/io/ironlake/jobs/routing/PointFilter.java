package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.rules.RuleCatalog;
import java.io.Serializable;

/**
 * Whether an operator wants a point under a rule catalog: the operator's own acceptance check, the
 * same code its {@code accepts} runs, so the router and the operator judge a point alike.
 *
 * <p>Contract: the answer depends only on the catalog and the point's device path, tag, quality and
 * kind of value (double, long, boolean or string, and for a double whether it is finite), not on
 * its value or time; the router remembers answers per these.
 */
@FunctionalInterface
public interface PointFilter extends Serializable {
  /** Whether the operator handles {@code point} when {@code rules} is the catalog in effect. */
  boolean accepts(TelemetryPoint point, RuleCatalog rules);
}
