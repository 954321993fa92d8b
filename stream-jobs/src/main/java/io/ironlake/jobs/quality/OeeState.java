package io.ironlake.jobs.quality;

/**
 * What {@link OeeTracker} remembers of one machine between calls (Flink keeps it as keyed state).
 * Times are microseconds since the epoch; {@link #NONE} marks an absent time or counter.
 *
 * @param state the latest state value, null before the first
 * @param stateSince when the latest state sample was taken
 * @param accountedUntil time before this instant is already attributed
 * @param lastGood the latest good counter reading
 * @param lastTotal the latest total counter reading
 * @param shiftName the open shift's name, null when none is open
 * @param shiftStart the open shift's start
 * @param shiftEnd the open shift's end
 * @param runMicros run time so far in the open shift
 * @param idleMicros idle time so far
 * @param downMicros down time so far
 * @param plannedMicros planned downtime so far
 * @param good good parts so far
 * @param total parts so far
 */
public record OeeState(
    String state,
    long stateSince,
    long accountedUntil,
    long lastGood,
    long lastTotal,
    String shiftName,
    long shiftStart,
    long shiftEnd,
    long runMicros,
    long idleMicros,
    long downMicros,
    long plannedMicros,
    long good,
    long total) {

  /** Marks an absent time or counter reading. */
  public static final long NONE = Long.MIN_VALUE;

  /** The state of a machine never seen. */
  public static OeeState initial() {
    return new OeeState(null, NONE, NONE, NONE, NONE, null, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
