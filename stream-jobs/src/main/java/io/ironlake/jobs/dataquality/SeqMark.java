package io.ironlake.jobs.dataquality;

/**
 * The seq of one point and where it came from: what the completeness ledger keeps of a point.
 *
 * @param collectorId the collector
 * @param source the collector's source
 * @param seq the point's sequence number per collector and source
 */
public record SeqMark(String collectorId, String source, long seq) {}
