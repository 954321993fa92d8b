package io.ironlake.jobs.safety;

import java.io.Serializable;
import java.time.Duration;

/**
 * A rate-of-change alarm: raised when |Δvalue/Δt| between consecutive samples has stayed above
 * {@code maxPerSecond} for {@code onDelay}, cleared when it is at or below maxPerSecond − deadband.
 *
 * @param maxPerSecond the largest allowed change per second, in the tag's unit; positive
 * @param deadband hysteresis for clearing, ≥ 0
 * @param onDelay how long the rate must stay too high before the alarm is raised, ≥ 0
 */
public record RateOfChangeParams(double maxPerSecond, double deadband, Duration onDelay)
    implements Serializable {
  public RateOfChangeParams {
    if (!(maxPerSecond > 0)) {
      throw new IllegalArgumentException(
          "Invalid value " + maxPerSecond + " for `maxPerSecond`: expected a positive number");
    }
    if (!(deadband >= 0) || onDelay == null || onDelay.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid rate-of-change deadband "
              + deadband
              + " or on-delay "
              + onDelay
              + ": expected zero or more");
    }
  }
}
