package io.ironlake.jobs.safety;

import io.ironlake.connectors.record.TelemetryPoint;
import java.io.Serializable;
import java.time.Duration;

/**
 * A multi-signal pattern in time on one device, matched with Flink CEP: both conditions hold, in
 * either order, with less than {@code within} (at most {@link #MAX_WITHIN}) between the two points
 * (e.g. temperature high while coolant flow low within 30 s). A match raises a {@link
 * AlarmType#PATTERN} alarm; further matches of the same pattern on the same device are suppressed
 * for {@code holdOff}.
 *
 * @param name the pattern's name; the alarm's tag
 * @param first one condition
 * @param second the other condition
 * @param within the time the two points must be less than apart
 * @param priority the alarm's priority
 * @param devicePrefix device paths the pattern applies to ("" for all), e.g. {@code plant-sh/}
 * @param holdOff how long after a raise the same pattern on the same device is not raised again
 */
public record PatternParams(
    String name,
    SignalCondition first,
    SignalCondition second,
    Duration within,
    Priority priority,
    String devicePrefix,
    Duration holdOff)
    implements Serializable {
  /**
   * The longest {@code within} a pattern may have: the pattern operator follows the rules topic
   * with one Flink CEP pattern whose window is this, and keeps each condition met for this long.
   */
  public static final Duration MAX_WITHIN = Duration.ofMinutes(10);

  public PatternParams {
    if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "Invalid pattern name " + name + ": expected letters, digits, '_', '.', '-'");
    }
    if (first == null || second == null || first.tag().equals(second.tag())) {
      throw new IllegalArgumentException(
          "Invalid pattern " + name + ": expected two conditions on two different tags");
    }
    if (within == null || within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value "
              + within
              + " for `within` of pattern "
              + name
              + ": expected a positive duration");
    }
    if (within.compareTo(MAX_WITHIN) > 0) {
      throw new IllegalArgumentException(
          "Invalid value "
              + within
              + " for `within` of pattern "
              + name
              + ": expected at most "
              + MAX_WITHIN
              + " (the longest window the live pattern operator keeps partial matches for)");
    }
    if (holdOff == null || holdOff.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid value "
              + holdOff
              + " for `holdOff` of pattern "
              + name
              + ": expected zero or a positive duration");
    }
    priority = priority == null ? AlarmType.PATTERN.defaultPriority() : priority;
    devicePrefix = devicePrefix == null ? "" : devicePrefix;
  }

  /** Whether the pattern reads this point: one of its two tags, on a device it applies to. */
  public boolean reads(TelemetryPoint p) {
    return (first.tag().equals(p.tag()) || second.tag().equals(p.tag()))
        && appliesTo(p.devicePath());
  }

  /** Whether the pattern applies to a device. */
  public boolean appliesTo(String devicePath) {
    return devicePath.startsWith(devicePrefix);
  }
}
