package io.ironlake.jobs.energy;

/**
 * Energy of one device (scope {@code DEVICE}) or one line (scope {@code LINE}, device null) in one
 * shift: a row of {@code ironlake.energy_shift}. Sums of the minute rows whose window starts in the
 * shift; NaN stands for unknown (written as null).
 *
 * @param scope {@code DEVICE} or {@code LINE}
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device; null on line rows
 * @param shift the shift's name in the calendar, e.g. {@code A}
 * @param shiftStartMicros shift start, inclusive
 * @param shiftEndMicros shift end, exclusive
 * @param energyKwh energy used
 * @param producingKwh energy used in run states (over minutes with a known state)
 * @param idleKwh energy used in other known states
 * @param goodParts good parts
 * @param kwhPerGoodPart energy / good parts; NaN without good parts
 * @param co2eKg CO2e of the minutes with an emission factor; NaN when none had one
 * @param baselineKwh sum of the baselines of the minutes that have one; NaN when none had one
 * @param deviationKwh energy of those minutes − their baseline
 * @param deviationPct 100 × deviation / baseline; NaN when the baseline is 0 or unknown
 * @param minutes minute rows summed
 * @param devices devices summed (1 on device rows)
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record EnergyShiftRow(
    String scope,
    String site,
    String area,
    String line,
    String device,
    String shift,
    long shiftStartMicros,
    long shiftEndMicros,
    double energyKwh,
    double producingKwh,
    double idleKwh,
    long goodParts,
    double kwhPerGoodPart,
    double co2eKg,
    double baselineKwh,
    double deviationKwh,
    double deviationPct,
    int minutes,
    int devices,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public EnergyShiftRow(
      String scope,
      String site,
      String area,
      String line,
      String device,
      String shift,
      long shiftStartMicros,
      long shiftEndMicros,
      double energyKwh,
      double producingKwh,
      double idleKwh,
      long goodParts,
      double kwhPerGoodPart,
      double co2eKg,
      double baselineKwh,
      double deviationKwh,
      double deviationPct,
      int minutes,
      int devices) {
    this(
        scope,
        site,
        area,
        line,
        device,
        shift,
        shiftStartMicros,
        shiftEndMicros,
        energyKwh,
        producingKwh,
        idleKwh,
        goodParts,
        kwhPerGoodPart,
        co2eKg,
        baselineKwh,
        deviationKwh,
        deviationPct,
        minutes,
        devices,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public EnergyShiftRow withRulesVersion(long version) {
    return new EnergyShiftRow(
        scope,
        site,
        area,
        line,
        device,
        shift,
        shiftStartMicros,
        shiftEndMicros,
        energyKwh,
        producingKwh,
        idleKwh,
        goodParts,
        kwhPerGoodPart,
        co2eKg,
        baselineKwh,
        deviationKwh,
        deviationPct,
        minutes,
        devices,
        version);
  }
}
