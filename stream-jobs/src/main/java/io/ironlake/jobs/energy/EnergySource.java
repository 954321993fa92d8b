package io.ironlake.jobs.energy;

/** Where a device's energy comes from. */
public enum EnergySource {
  /** The cumulative meter once the device has sent a meter reading, else integrated power. */
  AUTO,
  /** Only the cumulative meter. */
  METER,
  /** Only integrated power (trapezoidal over the power tag). */
  POWER
}
