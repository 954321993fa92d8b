package io.ironlake.jobs.energy;

import io.ironlake.jobs.quality.ShiftCalendar;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * How energy is computed for one device (the rule catalog supplies one per device path; set it per
 * site, area, line or device).
 *
 * <pre>{@code
 * EnergyParams plant = EnergyParams.builder()
 *     .emissionFactorKgPerKwh(0.5366)          // the site's grid
 *     .meterRolloverKwh(999_999.9)             // meters wrap after 999,999.9 kWh
 *     .baselineKwhPerHour(40)                  // configured baseline, else learned
 *     .build();
 * }</pre>
 *
 * @param meterTag tag of the cumulative energy meter, kWh
 * @param powerTag tag of the active power, kW (integrated where there is no meter)
 * @param stateTag tag of the machine state (a string)
 * @param goodCountTag tag of the cumulative good-part counter
 * @param runStates states in which the machine is producing; any other known state is idle
 * @param source meter, integrated power, or the meter when the device has one ({@code AUTO})
 * @param meterRolloverKwh the value after which the meter wraps to 0 (e.g. 999,999.9); NaN: the
 *     meter never wraps and every drop is a reset
 * @param maxPowerGap power samples further apart than this are not integrated (counted as a gap)
 * @param emissionFactorKgPerKwh the site's emission factor, kg CO2e per kWh; NaN: unknown (no CO2e)
 * @param baselineKwhPerHour the configured baseline consumption; NaN: learned from the device's
 *     last {@code baselineWindows} windows
 * @param baselineWindows how many of the device's previous windows the learned baseline averages
 * @param shifts the shift calendar of the shift totals (and the zone of the daily demand peak)
 */
public record EnergyParams(
    String meterTag,
    String powerTag,
    String stateTag,
    String goodCountTag,
    Set<String> runStates,
    EnergySource source,
    double meterRolloverKwh,
    Duration maxPowerGap,
    double emissionFactorKgPerKwh,
    double baselineKwhPerHour,
    int baselineWindows,
    ShiftCalendar shifts)
    implements Serializable {

  /**
   * A meter drop counts as a rollover (not a reset) when the previous reading was within this share
   * of the rollover value from the top, i.e. at or above 90% of it.
   */
  public static final double ROLLOVER_BAND = 0.1;

  /**
   * Tags {@code energy_kwh}, {@code power_kw}, {@code state}, {@code good_count}; RUNNING produces;
   * AUTO source; no rollover; power gaps above 5 min not integrated; no emission factor; learned
   * baseline over the last 60 windows (one hour); the default shift calendar.
   */
  public static final EnergyParams DEFAULTS = builder().build();

  public EnergyParams {
    requireTag(meterTag, "meterTag");
    requireTag(powerTag, "powerTag");
    requireTag(stateTag, "stateTag");
    requireTag(goodCountTag, "goodCountTag");
    if (runStates == null || runStates.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid value " + runStates + " for `runStates`: expected at least one state");
    }
    runStates = Set.copyOf(runStates);
    if (source == null) {
      throw new IllegalArgumentException("Missing value for `source`");
    }
    if (!Double.isNaN(meterRolloverKwh) && !(meterRolloverKwh > 0 && meterRolloverKwh < 1e300)) {
      throw new IllegalArgumentException(
          "Invalid value "
              + meterRolloverKwh
              + " for `meterRolloverKwh`: expected a positive finite number or NaN (none)");
    }
    if (maxPowerGap == null || maxPowerGap.isNegative() || maxPowerGap.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value " + maxPowerGap + " for `maxPowerGap`: expected a positive duration");
    }
    if (!Double.isNaN(emissionFactorKgPerKwh)
        && !(emissionFactorKgPerKwh >= 0 && emissionFactorKgPerKwh < 1e300)) {
      throw new IllegalArgumentException(
          "Invalid value "
              + emissionFactorKgPerKwh
              + " for `emissionFactorKgPerKwh`: expected a finite number >= 0 or NaN (unknown)");
    }
    if (!Double.isNaN(baselineKwhPerHour)
        && !(baselineKwhPerHour >= 0 && baselineKwhPerHour < 1e300)) {
      throw new IllegalArgumentException(
          "Invalid value "
              + baselineKwhPerHour
              + " for `baselineKwhPerHour`: expected a finite number >= 0 or NaN (learned)");
    }
    if (baselineWindows < 1 || baselineWindows > 10_080) {
      throw new IllegalArgumentException(
          "Invalid value " + baselineWindows + " for `baselineWindows`: expected 1 to 10080");
    }
    if (shifts == null) {
      throw new IllegalArgumentException("Missing value for `shifts`");
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these parameters. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.meterTag = meterTag;
    b.powerTag = powerTag;
    b.stateTag = stateTag;
    b.goodCountTag = goodCountTag;
    b.runStates = runStates;
    b.source = source;
    b.meterRolloverKwh = meterRolloverKwh;
    b.maxPowerGap = maxPowerGap;
    b.emissionFactorKgPerKwh = emissionFactorKgPerKwh;
    b.baselineKwhPerHour = baselineKwhPerHour;
    b.baselineWindows = baselineWindows;
    b.shifts = shifts;
    return b;
  }

  /** Whether this tag is one the energy job reads. */
  public boolean reads(String tag) {
    return tag.equals(meterTag)
        || tag.equals(powerTag)
        || tag.equals(stateTag)
        || tag.equals(goodCountTag);
  }

  private static void requireTag(String tag, String key) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("Missing value for `" + key + "`");
    }
  }

  /** Builds {@link EnergyParams}; unset values keep the defaults. */
  public static final class Builder {
    private String meterTag = "energy_kwh";
    private String powerTag = "power_kw";
    private String stateTag = "state";
    private String goodCountTag = "good_count";
    private Set<String> runStates = Set.of("RUNNING");
    private EnergySource source = EnergySource.AUTO;
    private double meterRolloverKwh = Double.NaN;
    private Duration maxPowerGap = Duration.ofMinutes(5);
    private double emissionFactorKgPerKwh = Double.NaN;
    private double baselineKwhPerHour = Double.NaN;
    private int baselineWindows = 60;
    private ShiftCalendar shifts = ShiftCalendar.DEFAULT;

    private Builder() {}

    public Builder meterTag(String value) {
      this.meterTag = value;
      return this;
    }

    public Builder powerTag(String value) {
      this.powerTag = value;
      return this;
    }

    public Builder stateTag(String value) {
      this.stateTag = value;
      return this;
    }

    public Builder goodCountTag(String value) {
      this.goodCountTag = value;
      return this;
    }

    public Builder runStates(Set<String> value) {
      this.runStates = value;
      return this;
    }

    public Builder source(EnergySource value) {
      this.source = value;
      return this;
    }

    public Builder meterRolloverKwh(double value) {
      this.meterRolloverKwh = value;
      return this;
    }

    public Builder maxPowerGap(Duration value) {
      this.maxPowerGap = value;
      return this;
    }

    public Builder emissionFactorKgPerKwh(double value) {
      this.emissionFactorKgPerKwh = value;
      return this;
    }

    public Builder baselineKwhPerHour(double value) {
      this.baselineKwhPerHour = value;
      return this;
    }

    public Builder baselineWindows(int value) {
      this.baselineWindows = value;
      return this;
    }

    public Builder shifts(ShiftCalendar value) {
      this.shifts = value;
      return this;
    }

    public EnergyParams build() {
      return new EnergyParams(
          meterTag,
          powerTag,
          stateTag,
          goodCountTag,
          runStates,
          source,
          meterRolloverKwh,
          maxPowerGap,
          emissionFactorKgPerKwh,
          baselineKwhPerHour,
          baselineWindows,
          shifts);
    }
  }
}
