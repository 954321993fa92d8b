package io.ironlake.jobs.safety;

import java.io.Serializable;
import java.time.Duration;

/**
 * Alarm-flood detection per ISA-18.2: alarms raised per line per window; more than {@code
 * threshold} in one window is a flood (ISA-18.2: 10 alarms per 10 minutes per operator).
 *
 * @param window the window length (10 minutes)
 * @param threshold the largest number of alarms per window that is not a flood (10)
 */
public record FloodParams(Duration window, int threshold) implements Serializable {
  /** ISA-18.2's benchmark: more than 10 alarms in 10 minutes is a flood. */
  public static final FloodParams ISA_18_2 = new FloodParams(Duration.ofMinutes(10), 10);

  public FloodParams {
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value " + window + " for `window`: expected a positive duration");
    }
    if (threshold < 1) {
      throw new IllegalArgumentException(
          "Invalid value " + threshold + " for `threshold`: expected at least 1");
    }
  }
}
