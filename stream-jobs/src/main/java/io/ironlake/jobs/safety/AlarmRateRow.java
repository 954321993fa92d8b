package io.ironlake.jobs.safety;

/**
 * Alarms raised on one line in one window: a row of {@code ironlake.alarm_rate}.
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param windowStartMicros window start
 * @param windowEndMicros window end, exclusive
 * @param alarms alarms raised in the window
 * @param threshold the flood threshold
 * @param flood whether alarms &gt; threshold
 */
public record AlarmRateRow(
    String site,
    String area,
    String line,
    long windowStartMicros,
    long windowEndMicros,
    int alarms,
    int threshold,
    boolean flood) {}
