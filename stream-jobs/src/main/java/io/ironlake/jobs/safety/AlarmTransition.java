package io.ironlake.jobs.safety;

/**
 * An alarm of one tag was raised or cleared.
 *
 * @param type which alarm
 * @param state {@link AlarmState#RAISED} or {@link AlarmState#CLEARED}
 * @param tsMicros when (the sample that caused it)
 * @param raisedAtMicros when this occurrence was raised (equal to tsMicros for RAISED)
 * @param value the value checked (for ROC the rate per second)
 * @param limit the limit it was checked against, NaN when none applies
 */
public record AlarmTransition(
    AlarmType type,
    AlarmState state,
    long tsMicros,
    long raisedAtMicros,
    double value,
    double limit) {}
