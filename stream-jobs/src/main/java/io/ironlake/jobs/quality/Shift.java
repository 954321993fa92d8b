package io.ironlake.jobs.quality;

/**
 * One shift of one day.
 *
 * @param name the shift's name in the calendar, e.g. {@code A}
 * @param startMicros start, inclusive, microseconds since the epoch
 * @param endMicros end, exclusive
 */
public record Shift(String name, long startMicros, long endMicros) {}
