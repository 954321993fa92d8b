package io.ironlake.jobs.quality;

/**
 * Time by machine state and part counts of one machine in one shift.
 *
 * @param shift the shift
 * @param runMicros time RUNNING (also during planned stops: production happened)
 * @param idleMicros time in an idle state outside planned stops (an availability loss)
 * @param downMicros time in any other state outside planned stops (an availability loss)
 * @param plannedMicros planned downtime: time in a planned state, or not running during a planned
 *     stop of the calendar; excluded from the planned production time
 * @param good good parts counted in the shift
 * @param total parts counted in the shift
 */
public record ShiftTotals(
    Shift shift,
    long runMicros,
    long idleMicros,
    long downMicros,
    long plannedMicros,
    long good,
    long total) {

  /** Run time in seconds. */
  public double runSeconds() {
    return runMicros / 1e6;
  }

  /** Planned production time (run + idle + down) in seconds. */
  public double plannedProductionSeconds() {
    return (runMicros + idleMicros + downMicros) / 1e6;
  }

  /** Whether nothing was recorded. */
  public boolean isEmpty() {
    return runMicros == 0
        && idleMicros == 0
        && downMicros == 0
        && plannedMicros == 0
        && good == 0
        && total == 0;
  }
}
