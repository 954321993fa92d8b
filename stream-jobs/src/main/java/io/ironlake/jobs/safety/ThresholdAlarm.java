package io.ironlake.jobs.safety;

/**
 * One threshold alarm with deadband and on-delay, as a pure state transition: a high alarm goes
 * pending when the value is above the limit, is raised when it has stayed above for the on-delay
 * (at the first sample at least on-delay after the first one above; any sample at or below the
 * limit resets the delay), and clears at the first sample at or below limit − deadband. A low alarm
 * mirrors it.
 */
public final class ThresholdAlarm {
  private ThresholdAlarm() {}

  /** The new state and what happened. */
  public record Step(LevelState next, AlarmTransition transition) {}

  /**
   * Applies one sample.
   *
   * @param type the alarm
   * @param high whether it is a high (above) or low (below) alarm
   * @param limit the limit
   * @param deadband clearing hysteresis
   * @param onDelayMicros on-delay
   * @param s the state before the sample
   * @param ts the sample's time
   * @param value the sample's value
   * @return the state after it and the transition, null when none
   */
  public static Step step(
      AlarmType type,
      boolean high,
      double limit,
      double deadband,
      long onDelayMicros,
      LevelState s,
      long ts,
      double value) {
    if (s.active()) {
      boolean back = high ? value <= limit - deadband : value >= limit + deadband;
      if (back) {
        return new Step(
            LevelState.NORMAL,
            new AlarmTransition(type, AlarmState.CLEARED, ts, s.raisedAt(), value, limit));
      }
      return new Step(s, null);
    }
    boolean beyond = high ? value > limit : value < limit;
    if (!beyond) {
      return new Step(LevelState.NORMAL, null);
    }
    long since = s.pendingSince() == LevelState.NONE ? ts : s.pendingSince();
    if (ts - since >= onDelayMicros) {
      return new Step(
          new LevelState(true, LevelState.NONE, ts),
          new AlarmTransition(type, AlarmState.RAISED, ts, ts, value, limit));
    }
    return new Step(new LevelState(false, since, LevelState.NONE), null);
  }
}
