package io.ironlake.jobs.dataquality;

/**
 * The seq numbers of one collector source in one hour: a row of {@code ironlake.completeness}.
 *
 * @param collectorId the collector
 * @param source the collector's source
 * @param windowStartMicros hour start, inclusive, microseconds since the epoch
 * @param windowEndMicros hour end, exclusive
 * @param minSeq lowest seq received in the hour
 * @param maxSeq highest seq received in the hour
 * @param received distinct seqs received
 * @param missing seqs missing up to {@code maxSeq}: since the previous hour's highest (if known),
 *     else since {@code minSeq}
 * @param missingRanges the missing seqs as ranges, e.g. {@code 120-125,400} (empty: none)
 */
public record CompletenessRow(
    String collectorId,
    String source,
    long windowStartMicros,
    long windowEndMicros,
    long minSeq,
    long maxSeq,
    long received,
    long missing,
    String missingRanges) {}
