package io.ironlake.jobs.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Attributes one machine's time to run / idle / down / planned and its part counts to shifts, from
 * samples given in timestamp order. A state holds from its sample until the next one, at most
 * {@link OeeParams#maxStateGap()}; counters are cumulative, a drop is a reset (the new reading is
 * the count since the reset) and a delta counts in the shift of the later reading. A shift closes
 * once time is advanced to its end.
 *
 * <pre>{@code
 * OeeTracker t = new OeeTracker(params, OeeState.initial());
 * t.state(ts, "RUNNING"); t.totalCount(ts, 120); ...; t.advanceTo(shiftEnd);
 * List<ShiftTotals> closed = t.drainClosed();   // then keep t.snapshot()
 * }</pre>
 */
public final class OeeTracker {
  private final OeeParams params;
  private final long maxGapMicros;
  private final List<ShiftTotals> closed = new ArrayList<>();

  private String state;
  private long stateSince;
  private long accountedUntil;
  private long lastGood;
  private long lastTotal;
  private Shift shift;
  private long run;
  private long idle;
  private long down;
  private long planned;
  private long good;
  private long total;

  /** Continues from a snapshot. */
  public OeeTracker(OeeParams params, OeeState s) {
    this.params = params;
    this.maxGapMicros = params.maxStateGap().toNanos() / 1000;
    this.state = s.state();
    this.stateSince = s.stateSince();
    this.accountedUntil = s.accountedUntil();
    this.lastGood = s.lastGood();
    this.lastTotal = s.lastTotal();
    this.shift =
        s.shiftName() == null ? null : new Shift(s.shiftName(), s.shiftStart(), s.shiftEnd());
    this.run = s.runMicros();
    this.idle = s.idleMicros();
    this.down = s.downMicros();
    this.planned = s.plannedMicros();
    this.good = s.good();
    this.total = s.total();
  }

  /** A state sample. */
  public void state(long ts, String value) {
    advanceTo(ts);
    state = value;
    stateSince = ts;
    if (accountedUntil == OeeState.NONE || accountedUntil < ts) {
      accountedUntil = ts;
    }
  }

  /** A reading of the cumulative good-part counter. */
  public void goodCount(long ts, long value) {
    advanceTo(ts);
    long delta = delta(lastGood, value);
    lastGood = value;
    if (delta > 0) {
      openAt(ts);
      good += delta;
    }
  }

  /** A reading of the cumulative total-part counter. */
  public void totalCount(long ts, long value) {
    advanceTo(ts);
    long delta = delta(lastTotal, value);
    lastTotal = value;
    if (delta > 0) {
      openAt(ts);
      total += delta;
    }
  }

  /**
   * Attributes time up to {@code ts} (exclusive) and closes every shift that ends at or before it.
   * Call it with the watermark: no sample before {@code ts} may come later.
   */
  public void advanceTo(long ts) {
    if (accountedUntil != OeeState.NONE && ts > accountedUntil) {
      long validUntil = state == null ? accountedUntil : stateSince + maxGapMicros;
      long from = accountedUntil;
      while (from < ts) {
        if (shift != null && from >= shift.endMicros()) {
          close();
        }
        long creditEnd = Math.min(ts, validUntil);
        if (from >= creditEnd) {
          break;
        }
        openAt(from);
        long segmentEnd = Math.min(creditEnd, shift.endMicros());
        credit(from, segmentEnd);
        from = segmentEnd;
      }
      accountedUntil = ts;
    }
    if (shift != null && ts >= shift.endMicros()) {
      close();
    }
    // A state still valid past ts belongs to the shift that starts now; open it so that its end
    // is known (and a timer can close it) even if the machine sends nothing more.
    if (shift == null && state != null && accountedUntil == ts && stateSince + maxGapMicros > ts) {
      openAt(ts);
    }
  }

  /** The end of the open shift, or {@link OeeState#NONE}. */
  public long openShiftEnd() {
    return shift == null ? OeeState.NONE : shift.endMicros();
  }

  /** The shifts closed since the last call, oldest first. */
  public List<ShiftTotals> drainClosed() {
    List<ShiftTotals> out = List.copyOf(closed);
    closed.clear();
    return out;
  }

  /** What to keep for the next call. */
  public OeeState snapshot() {
    return new OeeState(
        state,
        stateSince,
        accountedUntil,
        lastGood,
        lastTotal,
        shift == null ? null : shift.name(),
        shift == null ? 0 : shift.startMicros(),
        shift == null ? 0 : shift.endMicros(),
        run,
        idle,
        down,
        planned,
        good,
        total);
  }

  private static long delta(long previous, long value) {
    if (previous == OeeState.NONE) {
      return 0;
    }
    return value >= previous ? value - previous : value;
  }

  private void openAt(long ts) {
    if (shift != null && ts >= shift.endMicros()) {
      close();
    }
    if (shift == null) {
      shift = params.shifts().shiftAt(ts);
    }
  }

  private void credit(long from, long to) {
    long length = to - from;
    switch (params.categorize(state)) {
      case RUN -> run += length;
      case PLANNED -> planned += length;
      case IDLE, DOWN -> {
        long stop = params.shifts().plannedMicros(from, to);
        planned += stop;
        if (params.categorize(state) == OeeParams.StateCategory.IDLE) {
          idle += length - stop;
        } else {
          down += length - stop;
        }
      }
    }
  }

  private void close() {
    ShiftTotals totals = new ShiftTotals(shift, run, idle, down, planned, good, total);
    if (!totals.isEmpty()) {
      closed.add(totals);
    }
    shift = null;
    run = 0;
    idle = 0;
    down = 0;
    planned = 0;
    good = 0;
    total = 0;
  }
}
