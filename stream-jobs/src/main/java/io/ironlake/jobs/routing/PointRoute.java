package io.ironlake.jobs.routing;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.util.OutputTag;

/**
 * One consumer of the deduplicated points behind the {@link RoutedPoints router}: a name (unique
 * within a job; it names the side output) and the consumer operator's acceptance check.
 *
 * @param name the consumer's name, e.g. {@code energy}, {@code spc}
 * @param filter the points it wants under the catalog in effect
 */
public record PointRoute(String name, PointFilter filter) implements Serializable {
  public PointRoute {
    if (name == null || !name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException(
          "Invalid route name " + name + ": expected lower-case letters, digits and '-'");
    }
    Objects.requireNonNull(filter, "Missing value for `filter`");
  }

  /** The router's side output of this route. */
  OutputTag<TelemetryPoint> tag() {
    return new OutputTag<>("route-" + name, TelemetryPointTypeInfo.INSTANCE);
  }
}
