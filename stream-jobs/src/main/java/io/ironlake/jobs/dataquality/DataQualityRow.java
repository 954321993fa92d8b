package io.ironlake.jobs.dataquality;

/**
 * Data quality of one tag of one device in one hour: a row of {@code ironlake.data_quality}.
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 * @param tag the tag
 * @param windowStartMicros hour start, inclusive, microseconds since the epoch
 * @param windowEndMicros hour end, exclusive
 * @param points points received with a timestamp in the hour (after transport dedup)
 * @param expected points expected in the hour: hour / expected period
 * @param completeness min(1, (points - duplicates) / expected)
 * @param latencyP50Ms median of {@code ingest_ts - ts} in ms (nearest rank), null without points
 * @param latencyP95Ms 95th percentile
 * @param latencyP99Ms 99th percentile
 * @param timeliness share of points with latency at most the target
 * @param validity share of points of the expected type and in the valid range
 * @param badShare share of points with quality BAD
 * @param duplicates points whose timestamp and value equal an earlier point's
 * @param gaps intervals between consecutive distinct timestamps longer than k x expected period
 * @param longestGapSeconds longest interval between consecutive distinct timestamps
 * @param longestRunSeconds longest time a double value stayed exactly the same (first to last)
 * @param frozen whether {@code longestRunSeconds} reached frozen-after
 * @param score weighted score 0..100
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record DataQualityRow(
    String site,
    String area,
    String line,
    String device,
    String tag,
    long windowStartMicros,
    long windowEndMicros,
    long points,
    long expected,
    double completeness,
    Double latencyP50Ms,
    Double latencyP95Ms,
    Double latencyP99Ms,
    double timeliness,
    double validity,
    double badShare,
    long duplicates,
    int gaps,
    double longestGapSeconds,
    double longestRunSeconds,
    boolean frozen,
    double score,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public DataQualityRow(
      String site,
      String area,
      String line,
      String device,
      String tag,
      long windowStartMicros,
      long windowEndMicros,
      long points,
      long expected,
      double completeness,
      Double latencyP50Ms,
      Double latencyP95Ms,
      Double latencyP99Ms,
      double timeliness,
      double validity,
      double badShare,
      long duplicates,
      int gaps,
      double longestGapSeconds,
      double longestRunSeconds,
      boolean frozen,
      double score) {
    this(
        site,
        area,
        line,
        device,
        tag,
        windowStartMicros,
        windowEndMicros,
        points,
        expected,
        completeness,
        latencyP50Ms,
        latencyP95Ms,
        latencyP99Ms,
        timeliness,
        validity,
        badShare,
        duplicates,
        gaps,
        longestGapSeconds,
        longestRunSeconds,
        frozen,
        score,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public DataQualityRow withRulesVersion(long version) {
    return new DataQualityRow(
        site,
        area,
        line,
        device,
        tag,
        windowStartMicros,
        windowEndMicros,
        points,
        expected,
        completeness,
        latencyP50Ms,
        latencyP95Ms,
        latencyP99Ms,
        timeliness,
        validity,
        badShare,
        duplicates,
        gaps,
        longestGapSeconds,
        longestRunSeconds,
        frozen,
        score,
        version);
  }
}
