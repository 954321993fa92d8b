package io.ironlake.jobs.safety;

import java.io.Serializable;
import java.time.Duration;

/**
 * Absolute limit alarms of one tag. Each limit that is set (not NaN) is its own alarm: a high alarm
 * (HH, H) is raised once the value has stayed above its limit for {@code onDelay} and cleared once
 * it is at or below limit − deadband; a low alarm (L, LL) mirrors it.
 *
 * <pre>{@code
 * LimitAlarmParams p = LimitAlarmParams.builder().high(45).highHigh(55).deadband(1)
 *     .onDelay(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * @param highHigh HH limit, NaN for none
 * @param high H limit, NaN for none
 * @param low L limit, NaN for none
 * @param lowLow LL limit, NaN for none
 * @param deadband how far back inside a limit the value must come to clear its alarm; ≥ 0
 * @param onDelay how long the value must stay beyond a limit before the alarm is raised; ≥ 0
 */
public record LimitAlarmParams(
    double highHigh, double high, double low, double lowLow, double deadband, Duration onDelay)
    implements Serializable {

  public LimitAlarmParams {
    if (!(deadband >= 0)) {
      throw new IllegalArgumentException(
          "Invalid value " + deadband + " for `deadband`: expected zero or more");
    }
    if (onDelay == null || onDelay.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid value " + onDelay + " for `onDelay`: expected zero or a positive duration");
    }
    if (lessThan(high, highHigh) == Boolean.FALSE || lessThan(lowLow, low) == Boolean.FALSE) {
      throw new IllegalArgumentException(
          "Invalid limits LL="
              + lowLow
              + " L="
              + low
              + " H="
              + high
              + " HH="
              + highHigh
              + ": expected LL < L and H < HH");
    }
  }

  private static Boolean lessThan(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? null : a < b;
  }

  /** The limit of an alarm type, NaN when not set or not a limit type. */
  public double limit(AlarmType type) {
    return switch (type) {
      case HH -> highHigh;
      case H -> high;
      case L -> low;
      case LL -> lowLow;
      default -> Double.NaN;
    };
  }

  /** A builder with no limits, no deadband and no on-delay. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LimitAlarmParams}. */
  public static final class Builder {
    private double highHigh = Double.NaN;
    private double high = Double.NaN;
    private double low = Double.NaN;
    private double lowLow = Double.NaN;
    private double deadband;
    private Duration onDelay = Duration.ZERO;

    private Builder() {}

    public Builder highHigh(double value) {
      this.highHigh = value;
      return this;
    }

    public Builder high(double value) {
      this.high = value;
      return this;
    }

    public Builder low(double value) {
      this.low = value;
      return this;
    }

    public Builder lowLow(double value) {
      this.lowLow = value;
      return this;
    }

    public Builder deadband(double value) {
      this.deadband = value;
      return this;
    }

    public Builder onDelay(Duration value) {
      this.onDelay = value;
      return this;
    }

    public LimitAlarmParams build() {
      return new LimitAlarmParams(highHigh, high, low, lowLow, deadband, onDelay);
    }
  }
}
