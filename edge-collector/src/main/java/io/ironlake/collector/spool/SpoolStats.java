package io.ironlake.collector.spool;

/**
 * The spool's gauges and counters since the collector started.
 *
 * @param points points spooled and not yet acknowledged by Kafka (the depth)
 * @param bytes bytes of those entries on disk
 * @param diskBytes bytes of all segment files, what {@code spool.max-bytes} bounds
 * @param segments segment files
 * @param pointsReplayed points sent again: left unsent by an earlier run (recovered at start) or
 *     re-sent after Kafka refused a send
 * @param pointsDropped points deleted unsent by {@link OnFull#DROP_OLDEST}
 * @param redeliveriesSkipped MQTT messages redelivered by the broker that were spooled already
 *     (acknowledged again, not numbered again)
 * @param appendErrors appends that failed (disk full, I/O error); their input was not acknowledged
 */
public record SpoolStats(
    long points,
    long bytes,
    long diskBytes,
    int segments,
    long pointsReplayed,
    long pointsDropped,
    long redeliveriesSkipped,
    long appendErrors) {}
