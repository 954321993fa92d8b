package io.ironlake.jobs.quality;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalTime;

/**
 * A planned stop that repeats every day (a break, a meal, a cleaning slot), in the calendar's zone.
 *
 * @param start local start time
 * @param length how long it lasts; positive, less than a day
 */
public record PlannedStop(LocalTime start, Duration length) implements Serializable {
  public PlannedStop {
    if (start == null
        || length == null
        || length.isNegative()
        || length.isZero()
        || length.compareTo(Duration.ofDays(1)) >= 0) {
      throw new IllegalArgumentException(
          "Invalid planned stop "
              + start
              + " + "
              + length
              + ": expected a start and a length"
              + " between 0 and 24 h");
    }
  }
}
