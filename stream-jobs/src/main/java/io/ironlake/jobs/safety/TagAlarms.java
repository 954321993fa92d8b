package io.ironlake.jobs.safety;

import java.util.ArrayList;
import java.util.List;

/**
 * The single-signal alarms of one tag (limits, rate of change, frozen value) as a pure function of
 * its samples in timestamp order. Each limit is an independent alarm (above HH, both HH and H are
 * active).
 */
public final class TagAlarms {
  private TagAlarms() {}

  /** The state after a sample and the transitions it caused. */
  public record Result(TagAlarmState next, List<AlarmTransition> transitions) {}

  /** Applies one sample (time in microseconds) to the tag's alarms. */
  public static Result onSample(TagSafetyParams p, TagAlarmState s, long ts, double value) {
    List<AlarmTransition> out = new ArrayList<>(2);
    LevelState hh = s.hh();
    LevelState h = s.h();
    LevelState l = s.l();
    LevelState ll = s.ll();
    LimitAlarmParams limits = p.limits();
    if (limits != null) {
      long delay = micros(limits.onDelay());
      hh = level(AlarmType.HH, true, limits.highHigh(), limits, delay, hh, ts, value, out);
      h = level(AlarmType.H, true, limits.high(), limits, delay, h, ts, value, out);
      l = level(AlarmType.L, false, limits.low(), limits, delay, l, ts, value, out);
      ll = level(AlarmType.LL, false, limits.lowLow(), limits, delay, ll, ts, value, out);
    }

    LevelState roc = s.roc();
    RateOfChangeParams rate = p.rateOfChange();
    if (rate != null && s.previousTs() != LevelState.NONE && ts > s.previousTs()) {
      double perSecond = Math.abs(value - s.previousValue()) / ((ts - s.previousTs()) / 1e6);
      ThresholdAlarm.Step step =
          ThresholdAlarm.step(
              AlarmType.ROC,
              true,
              rate.maxPerSecond(),
              rate.deadband(),
              micros(rate.onDelay()),
              roc,
              ts,
              perSecond);
      roc = step.next();
      if (step.transition() != null) {
        out.add(step.transition());
      }
    }

    double reference = s.frozenReference();
    long since = s.frozenSince();
    LevelState frozen = s.frozen();
    FrozenValueParams fp = p.frozen();
    if (fp != null) {
      if (since == LevelState.NONE || Math.abs(value - reference) > fp.tolerance()) {
        if (frozen.active()) {
          out.add(
              new AlarmTransition(
                  AlarmType.FROZEN, AlarmState.CLEARED, ts, frozen.raisedAt(), value, Double.NaN));
          frozen = LevelState.NORMAL;
        }
        reference = value;
        since = ts;
      } else if (!frozen.active() && ts - since >= micros(fp.after())) {
        frozen = new LevelState(true, LevelState.NONE, ts);
        out.add(
            new AlarmTransition(AlarmType.FROZEN, AlarmState.RAISED, ts, ts, value, Double.NaN));
      }
    }
    return new Result(
        new TagAlarmState(hh, h, l, ll, roc, ts, value, reference, since, frozen), out);
  }

  private static LevelState level(
      AlarmType type,
      boolean high,
      double limit,
      LimitAlarmParams p,
      long delay,
      LevelState s,
      long ts,
      double value,
      List<AlarmTransition> out) {
    if (Double.isNaN(limit)) {
      return s;
    }
    ThresholdAlarm.Step step =
        ThresholdAlarm.step(type, high, limit, p.deadband(), delay, s, ts, value);
    if (step.transition() != null) {
      out.add(step.transition());
    }
    return step.next();
  }

  private static long micros(java.time.Duration d) {
    return d.toNanos() / 1000;
  }
}
