package io.ironlake.jobs.safety;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.Serializable;

/**
 * One signal's condition in a multi-signal pattern: a numeric tag above or below a threshold.
 *
 * @param tag the tag
 * @param above true: value &gt; threshold; false: value &lt; threshold
 * @param threshold the threshold
 */
public record SignalCondition(String tag, boolean above, double threshold) implements Serializable {
  public SignalCondition {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("Missing value for `tag` of a signal condition");
    }
  }

  /** Value above the threshold. */
  public static SignalCondition above(String tag, double threshold) {
    return new SignalCondition(tag, true, threshold);
  }

  /** Value below the threshold. */
  public static SignalCondition below(String tag, double threshold) {
    return new SignalCondition(tag, false, threshold);
  }

  /** Whether a point is of this tag, usable (numeric, finite, not BAD) and meets the condition. */
  public boolean test(TelemetryPoint p) {
    if (!tag.equals(p.tag()) || p.quality() == Quality.BAD) {
      return false;
    }
    PointValue v = p.value();
    if (!(v instanceof PointValue.DoubleValue || v instanceof PointValue.LongValue)) {
      return false;
    }
    double d = v.asDouble();
    return Double.isFinite(d) && (above ? d > threshold : d < threshold);
  }

  @Override
  public String toString() {
    return tag + (above ? " > " : " < ") + threshold;
  }
}
