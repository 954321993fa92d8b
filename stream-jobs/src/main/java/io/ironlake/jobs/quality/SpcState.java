package io.ironlake.jobs.quality;

/**
 * What {@link SpcChart} remembers of one characteristic between measurements (Flink keeps it as
 * keyed state). Arrays are never modified in place.
 *
 * @param values measurements of the open subgroup
 * @param start first measurement's time of the open subgroup (microseconds)
 * @param end latest measurement's time of the open subgroup
 * @param index subgroups completed so far
 * @param baseline baseline subgroups waiting for the limits: mean, range, stddev per subgroup
 * @param baselineStart their first measurement's times
 * @param baselineEnd their last measurement's times
 * @param limits the control limits, null until known
 * @param configured whether the limits were configured (not from the baseline)
 * @param z z-scores of the latest subgroup means, at most {@link NelsonRules#HISTORY}
 * @param capability mean and dispersion (R or S) of the latest subgroups, for Cp/Cpk
 * @param raisedAt per Nelson rule (index number - 1), when it started firing; {@link
 *     Long#MIN_VALUE} when it is not firing
 */
public record SpcState(
    double[] values,
    long start,
    long end,
    long index,
    double[] baseline,
    long[] baselineStart,
    long[] baselineEnd,
    ControlLimits limits,
    boolean configured,
    double[] z,
    double[] capability,
    long[] raisedAt) {

  /** A characteristic never seen. */
  public static SpcState initial() {
    long[] none = new long[8];
    java.util.Arrays.fill(none, Long.MIN_VALUE);
    return new SpcState(
        new double[0],
        0,
        0,
        0,
        new double[0],
        new long[0],
        new long[0],
        null,
        false,
        new double[0],
        new double[0],
        none);
  }
}
