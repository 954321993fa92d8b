package io.ironlake.jobs.energy;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * One device's energy arithmetic, plain Java (no Flink): takes the device's points in timestamp
 * order and adds to one-minute windows; {@link #close} turns a window into a row.
 *
 * <ul>
 *   <li>Meter: each reading after the first adds {@code cur - prev}; when the meter went down it
 *       either wrapped (a rollover value is set and the previous reading was in its top {@link
 *       EnergyParams#ROLLOVER_BAND}: {@code rollover - prev + cur}) or was reset ({@code cur}). Two
 *       readings with one timestamp count once, with the higher value.
 *   <li>Power: a trapezoid {@code (p1 + p2) / 2 × Δt} between consecutive samples, unless they are
 *       more than {@code maxPowerGap} apart (a gap: not integrated, counted).
 *   <li>Either adds to the window of the later sample; it is split between producing and idle by
 *       the share of the interval spent in run states and in other known states.
 *   <li>Good parts: deltas of the good-part counter (a drop is a reset: the new value counts).
 * </ul>
 */
public final class EnergyTracker {
  /** Window length, microseconds. */
  public static final long WINDOW_MICROS = 60_000_000L;

  private static final double MICROS_PER_HOUR = 3_600_000_000.0;
  private static final int MAX_STATE_MARKS = 4096;

  private final EnergyParams params;
  private final EnergyDeviceState s;
  private final LongFunction<EnergyWindow> windowAt;

  /**
   * @param params the device's parameters
   * @param state the device's state, updated in place
   * @param windowAt the (new or existing) window starting at the given microsecond
   */
  public EnergyTracker(
      EnergyParams params, EnergyDeviceState state, LongFunction<EnergyWindow> windowAt) {
    this.params = params;
    this.s = state;
    this.windowAt = windowAt;
  }

  /** Start of the window holding this time. */
  public static long windowStart(long micros) {
    return micros - Math.floorMod(micros, WINDOW_MICROS);
  }

  /** Takes one point (the next in timestamp order); ignores what is not usable. */
  public void accept(TelemetryPoint p) {
    if (p.quality() == Quality.BAD) {
      return;
    }
    if (s.device == null) {
      s.site = p.site();
      s.area = p.area();
      s.line = p.line();
      s.device = p.device();
    }
    PointValue v = p.value();
    String tag = p.tag();
    if (tag.equals(params.stateTag())) {
      state(p.tsMicros(), v.asText());
    }
    if (!isNumber(v)) {
      return;
    }
    double x = v.asDouble();
    if (tag.equals(params.meterTag())) {
      meter(p.tsMicros(), x);
    } else if (tag.equals(params.powerTag())) {
      power(p.tsMicros(), x);
    } else if (tag.equals(params.goodCountTag()) && x >= 0) {
      good(p.tsMicros(), (long) x);
    }
    prune();
  }

  /** A machine state from {@code ts} on. */
  public void state(long ts, String value) {
    byte running = (byte) (params.runStates().contains(value) ? 1 : 0);
    int n = s.stateTs.length;
    if (n > 0 && s.stateRunning[n - 1] == running) {
      return;
    }
    s.stateTs = Arrays.copyOf(s.stateTs, n + 1);
    s.stateRunning = Arrays.copyOf(s.stateRunning, n + 1);
    s.stateTs[n] = ts;
    s.stateRunning[n] = running;
  }

  /** A cumulative meter reading, kWh. */
  public void meter(long ts, double kwh) {
    EnergyWindow w = windowAt.apply(windowStart(ts));
    if (!s.hasMeter) {
      s.hasMeter = true;
      w.readings++;
    } else if (ts == s.meterTs) {
      if (kwh > s.meterKwh) { // one timestamp, two values: the higher one counts
        addMeter(w, kwh - s.meterKwh, ts, ts);
      } else {
        return;
      }
    } else {
      double prev = s.meterKwh;
      double delta;
      double rollover = params.meterRolloverKwh();
      if (kwh >= prev) {
        delta = kwh - prev;
      } else if (!Double.isNaN(rollover)
          && prev >= rollover * (1 - EnergyParams.ROLLOVER_BAND)
          && kwh < rollover) {
        delta = rollover - prev + kwh;
        w.meterRollovers++;
      } else {
        delta = kwh;
        w.meterResets++;
      }
      w.readings++;
      addMeter(w, delta, s.meterTs, ts);
    }
    s.meterTs = ts;
    s.meterKwh = kwh;
  }

  /** A power sample, kW. */
  public void power(long ts, double kw) {
    if (s.hasPower && ts == s.powerTs) {
      return; // one timestamp counts once
    }
    EnergyWindow w = windowAt.apply(windowStart(ts));
    w.powerReadings++;
    if (s.hasPower) {
      long dt = ts - s.powerTs;
      if (dt > params.maxPowerGap().toNanos() / 1000L) {
        w.powerGaps++;
      } else {
        double kwh = (s.powerKw + kw) / 2 * dt / MICROS_PER_HOUR;
        double[] split = split(kwh, s.powerTs, ts);
        w.powerKwh += kwh;
        w.powerProducingKwh += split[0];
        w.powerIdleKwh += split[1];
        w.stateKnown |= split[2] > 0;
      }
    }
    s.hasPower = true;
    s.powerTs = ts;
    s.powerKw = kw;
  }

  /** A cumulative good-part count. */
  public void good(long ts, long count) {
    EnergyWindow w = windowAt.apply(windowStart(ts));
    if (s.hasGood) {
      if (count >= s.goodCount) {
        w.goodParts += count - s.goodCount;
      } else if (ts != s.goodTs) {
        w.goodParts += count; // the counter was reset: the new value counts since then
      } else {
        return;
      }
    }
    s.hasGood = true;
    s.goodTs = ts;
    s.goodCount = count;
  }

  /**
   * The row of a finished window, or null when the device has no energy source to report (e.g. only
   * a state tag). Updates the learned baseline.
   */
  public EnergyRow close(EnergyWindow w) {
    boolean meter =
        switch (params.source()) {
          case METER -> true;
          case POWER -> false;
          case AUTO -> s.hasMeter;
        };
    if (meter ? !s.hasMeter : !s.hasPower) {
      return null;
    }
    double kwh = meter ? w.meterKwh : w.powerKwh;
    double producing = meter ? w.meterProducingKwh : w.powerProducingKwh;
    double idle = meter ? w.meterIdleKwh : w.powerIdleKwh;
    if (!w.stateKnown) {
      producing = Double.NaN;
      idle = Double.NaN;
    }
    double baseline = baseline();
    double deviation = kwh - baseline;
    learn(kwh);
    return new EnergyRow(
        s.site,
        s.area,
        s.line,
        s.device,
        w.startMicros,
        w.startMicros + WINDOW_MICROS,
        kwh,
        w.readings,
        w.meterResets,
        (meter ? EnergySource.METER : EnergySource.POWER).name(),
        w.meterRollovers,
        w.powerReadings,
        w.powerGaps,
        producing,
        idle,
        w.goodParts,
        w.goodParts > 0 ? kwh / w.goodParts : Double.NaN,
        kwh * params.emissionFactorKgPerKwh(),
        baseline,
        deviation,
        baseline > 0 ? 100 * deviation / baseline : Double.NaN);
  }

  /** The baseline of the next window: configured, or the mean of the last N windows once full. */
  private double baseline() {
    if (!Double.isNaN(params.baselineKwhPerHour())) {
      return params.baselineKwhPerHour() * WINDOW_MICROS / MICROS_PER_HOUR;
    }
    if (s.recentKwh.length < params.baselineWindows()) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = s.recentKwh.length - params.baselineWindows(); i < s.recentKwh.length; i++) {
      sum += s.recentKwh[i];
    }
    return sum / params.baselineWindows();
  }

  private void learn(double kwh) {
    if (!Double.isNaN(params.baselineKwhPerHour())) {
      return;
    }
    int keep = Math.min(s.recentKwh.length, params.baselineWindows() - 1);
    double[] next = new double[keep + 1];
    System.arraycopy(s.recentKwh, s.recentKwh.length - keep, next, 0, keep);
    next[keep] = kwh;
    s.recentKwh = next;
  }

  private void addMeter(EnergyWindow w, double kwh, long from, long to) {
    double[] split = split(kwh, from, to);
    w.meterKwh += kwh;
    w.meterProducingKwh += split[0];
    w.meterIdleKwh += split[1];
    w.stateKnown |= split[2] > 0;
  }

  /**
   * Splits energy used over {@code [from, to)} by the time spent in run states and in other known
   * states: {producing, idle, known share}. An empty interval takes the state at {@code from}.
   */
  double[] split(double kwh, long from, long to) {
    double[] r = new double[3];
    long[] ts = s.stateTs;
    if (ts.length == 0) {
      return r;
    }
    if (to <= from) {
      for (int i = ts.length - 1; i >= 0; i--) {
        if (ts[i] <= from) {
          r[s.stateRunning[i] == 1 ? 0 : 1] = kwh;
          r[2] = 1;
          return r;
        }
      }
      return r;
    }
    double len = to - from;
    for (int i = 0; i < ts.length; i++) {
      long a = Math.max(from, ts[i]);
      long b = Math.min(to, i + 1 < ts.length ? ts[i + 1] : to);
      if (b > a) {
        double share = (b - a) / len;
        r[s.stateRunning[i] == 1 ? 0 : 1] += kwh * share;
        r[2] += share;
      }
    }
    return r;
  }

  /** Keeps the state marks still needed: the one in effect at the oldest open interval, and on. */
  private void prune() {
    long floor = Long.MAX_VALUE;
    if (s.hasMeter) {
      floor = Math.min(floor, s.meterTs);
    }
    if (s.hasPower) {
      floor = Math.min(floor, s.powerTs);
    }
    long[] ts = s.stateTs;
    int first = 0;
    while (first + 1 < ts.length && ts[first + 1] <= floor) {
      first++;
    }
    first = Math.max(first, ts.length - MAX_STATE_MARKS);
    if (first > 0) {
      s.stateTs = Arrays.copyOfRange(ts, first, ts.length);
      s.stateRunning = Arrays.copyOfRange(s.stateRunning, first, ts.length);
    }
  }

  private static boolean isNumber(PointValue v) {
    return (v instanceof PointValue.DoubleValue || v instanceof PointValue.LongValue)
        && Double.isFinite(v.asDouble());
  }
}
