package io.ironlake.collector.spool;

/**
 * Points of one source that {@link OnFull#DROP_OLDEST} deleted before Kafka had them: the gap a
 * data-quality ledger shows.
 *
 * @param source the source's name
 * @param firstSeq the first lost sequence number
 * @param lastSeq the last lost sequence number
 * @param points how many points were lost; fewer than {@code lastSeq - firstSeq + 1} when the
 *     numbering already had gaps (restarts)
 * @param droppedAtMicros when they were dropped, microseconds since the epoch
 */
public record DroppedRange(
    String source, long firstSeq, long lastSeq, long points, long droppedAtMicros) {}
