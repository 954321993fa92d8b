package io.ironlake.jobs.energy;

/**
 * The 15-minute demand of one device (scope {@code DEVICE}) or line (scope {@code LINE}, device
 * null): a row of {@code ironlake.energy_demand}.
 *
 * @param scope {@code DEVICE} or {@code LINE}
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device; null on line rows
 * @param intervalStartMicros interval start (a quarter hour), inclusive
 * @param intervalEndMicros interval end, exclusive
 * @param energyKwh energy of the minute rows in the interval
 * @param demandKw average power over the interval: energy / 0.25 h
 * @param minutes minute rows summed
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record EnergyDemandRow(
    String scope,
    String site,
    String area,
    String line,
    String device,
    long intervalStartMicros,
    long intervalEndMicros,
    double energyKwh,
    double demandKw,
    int minutes,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public EnergyDemandRow(
      String scope,
      String site,
      String area,
      String line,
      String device,
      long intervalStartMicros,
      long intervalEndMicros,
      double energyKwh,
      double demandKw,
      int minutes) {
    this(
        scope,
        site,
        area,
        line,
        device,
        intervalStartMicros,
        intervalEndMicros,
        energyKwh,
        demandKw,
        minutes,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public EnergyDemandRow withRulesVersion(long version) {
    return new EnergyDemandRow(
        scope,
        site,
        area,
        line,
        device,
        intervalStartMicros,
        intervalEndMicros,
        energyKwh,
        demandKw,
        minutes,
        version);
  }
}
