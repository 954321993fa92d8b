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
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record AlarmRateRow(
    String site,
    String area,
    String line,
    long windowStartMicros,
    long windowEndMicros,
    int alarms,
    int threshold,
    boolean flood,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public AlarmRateRow(
      String site,
      String area,
      String line,
      long windowStartMicros,
      long windowEndMicros,
      int alarms,
      int threshold,
      boolean flood) {
    this(site, area, line, windowStartMicros, windowEndMicros, alarms, threshold, flood, 0L);
  }

  /** This row, made by rules version {@code version}. */
  public AlarmRateRow withRulesVersion(long version) {
    return new AlarmRateRow(
        site, area, line, windowStartMicros, windowEndMicros, alarms, threshold, flood, version);
  }
}
