package io.ironlake.simulator.internal;

import io.ironlake.connectors.record.PointValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tag value of one machine at one tick, plus the ground-truth energy.
 *
 * @param tick the tick index, 0 for the first
 * @param tsMicros the simulated timestamp, microseconds since the epoch
 */
public record MachineSample(
    long tick,
    long tsMicros,
    double powerKw,
    double energyKwh,
    double trueEnergyKwh,
    MachineState state,
    long goodCount,
    long totalCount,
    double diameterMm,
    double temperatureC,
    boolean meterReset) {

  /** The published tags in their fixed order: name to value. */
  public Map<String, PointValue> values() {
    Map<String, PointValue> values = new LinkedHashMap<>();
    values.put(Tags.POWER_KW, PointValue.of(powerKw));
    values.put(Tags.ENERGY_KWH, PointValue.of(energyKwh));
    values.put(Tags.STATE, PointValue.of(state.name()));
    values.put(Tags.GOOD_COUNT, PointValue.of(goodCount));
    values.put(Tags.TOTAL_COUNT, PointValue.of(totalCount));
    values.put(Tags.DIAMETER_MM, PointValue.of(diameterMm));
    values.put(Tags.TEMPERATURE_C, PointValue.of(temperatureC));
    return values;
  }
}
