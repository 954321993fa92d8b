package io.ironlake.simulator;

/**
 * One tick's energy meter reading next to the ground truth.
 *
 * @param tsMicros the simulated timestamp, microseconds since the epoch (UTC)
 * @param meterKwh what the {@code energy_kwh} tag showed (resets to 0 now and then)
 * @param trueEnergyKwh energy actually consumed since the simulation started; never resets, so the
 *     real consumption between two readings is the difference of their {@code trueEnergyKwh}
 */
public record MeterReading(long tsMicros, double meterKwh, double trueEnergyKwh) {}
