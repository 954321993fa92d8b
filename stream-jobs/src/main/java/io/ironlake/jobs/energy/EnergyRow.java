package io.ironlake.jobs.energy;

/**
 * Energy used by one device in one one-minute window: a row of {@code ironlake.energy}. NaN stands
 * for unknown (written as null).
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 * @param windowStartMicros window start, inclusive, microseconds since the epoch
 * @param windowEndMicros window end, exclusive
 * @param energyKwh energy attributed to this window, from {@code source}
 * @param readings meter readings with a timestamp in the window
 * @param meterResets readings in the window where the meter went down (restarted from 0)
 * @param source {@code METER} or {@code POWER}: where {@code energyKwh} comes from
 * @param meterRollovers readings in the window where the meter wrapped at its rollover value
 * @param powerReadings power samples with a timestamp in the window
 * @param powerGaps power intervals ending in the window that were too long to integrate
 * @param producingKwh part of the energy used in a run state; NaN when no state was known
 * @param idleKwh part of the energy used in another known state; NaN when no state was known
 * @param goodParts good parts counted in the window
 * @param kwhPerGoodPart energy / good parts; NaN without good parts
 * @param co2eKg energy × the site's emission factor; NaN when the factor is unknown
 * @param baselineKwh the configured or learned baseline of the window; NaN when there is none yet
 * @param deviationKwh energy − baseline
 * @param deviationPct 100 × deviation / baseline; NaN when the baseline is 0 or unknown
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record EnergyRow(
    String site,
    String area,
    String line,
    String device,
    long windowStartMicros,
    long windowEndMicros,
    double energyKwh,
    int readings,
    int meterResets,
    String source,
    int meterRollovers,
    int powerReadings,
    int powerGaps,
    double producingKwh,
    double idleKwh,
    long goodParts,
    double kwhPerGoodPart,
    double co2eKg,
    double baselineKwh,
    double deviationKwh,
    double deviationPct,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public EnergyRow(
      String site,
      String area,
      String line,
      String device,
      long windowStartMicros,
      long windowEndMicros,
      double energyKwh,
      int readings,
      int meterResets,
      String source,
      int meterRollovers,
      int powerReadings,
      int powerGaps,
      double producingKwh,
      double idleKwh,
      long goodParts,
      double kwhPerGoodPart,
      double co2eKg,
      double baselineKwh,
      double deviationKwh,
      double deviationPct) {
    this(
        site,
        area,
        line,
        device,
        windowStartMicros,
        windowEndMicros,
        energyKwh,
        readings,
        meterResets,
        source,
        meterRollovers,
        powerReadings,
        powerGaps,
        producingKwh,
        idleKwh,
        goodParts,
        kwhPerGoodPart,
        co2eKg,
        baselineKwh,
        deviationKwh,
        deviationPct,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public EnergyRow withRulesVersion(long version) {
    return new EnergyRow(
        site,
        area,
        line,
        device,
        windowStartMicros,
        windowEndMicros,
        energyKwh,
        readings,
        meterResets,
        source,
        meterRollovers,
        powerReadings,
        powerGaps,
        producingKwh,
        idleKwh,
        goodParts,
        kwhPerGoodPart,
        co2eKg,
        baselineKwh,
        deviationKwh,
        deviationPct,
        version);
  }

  /** A meter row with only the columns of the first energy table (the others unknown or 0). */
  public EnergyRow(
      String site,
      String area,
      String line,
      String device,
      long windowStartMicros,
      long windowEndMicros,
      double energyKwh,
      int readings,
      int meterResets) {
    this(
        site,
        area,
        line,
        device,
        windowStartMicros,
        windowEndMicros,
        energyKwh,
        readings,
        meterResets,
        EnergySource.METER.name(),
        0,
        0,
        0,
        Double.NaN,
        Double.NaN,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  /** {@code site/area/line/device}. */
  public String devicePath() {
    return site + '/' + area + '/' + line + '/' + device;
  }

  /** {@code site/area/line}. */
  public String linePath() {
    return site + '/' + area + '/' + line;
  }
}
