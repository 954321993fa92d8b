package io.ironlake.jobs.energy;

/**
 * The highest 15-minute demand of one device or line in one day of the site's calendar: a row of
 * {@code ironlake.energy_peak}.
 *
 * @param scope {@code DEVICE} or {@code LINE}
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device; null on line rows
 * @param dayEpochDay the day in the site's time zone, days since 1970-01-01
 * @param dayStartMicros the day's start (local midnight), inclusive
 * @param dayEndMicros the next day's start, exclusive
 * @param peakDemandKw the highest 15-minute demand of the day
 * @param peakIntervalStartMicros start of the interval with that demand (the first, on a tie)
 * @param intervals 15-minute intervals with a demand row that day
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record EnergyPeakRow(
    String scope,
    String site,
    String area,
    String line,
    String device,
    long dayEpochDay,
    long dayStartMicros,
    long dayEndMicros,
    double peakDemandKw,
    long peakIntervalStartMicros,
    int intervals,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public EnergyPeakRow(
      String scope,
      String site,
      String area,
      String line,
      String device,
      long dayEpochDay,
      long dayStartMicros,
      long dayEndMicros,
      double peakDemandKw,
      long peakIntervalStartMicros,
      int intervals) {
    this(
        scope,
        site,
        area,
        line,
        device,
        dayEpochDay,
        dayStartMicros,
        dayEndMicros,
        peakDemandKw,
        peakIntervalStartMicros,
        intervals,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public EnergyPeakRow withRulesVersion(long version) {
    return new EnergyPeakRow(
        scope,
        site,
        area,
        line,
        device,
        dayEpochDay,
        dayStartMicros,
        dayEndMicros,
        peakDemandKw,
        peakIntervalStartMicros,
        intervals,
        version);
  }
}
