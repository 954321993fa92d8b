package io.ironlake.jobs.energy;

/**
 * What one device's one-minute window has so far (keyed state of {@link EnergyFunction}): a mutable
 * Flink POJO, since it is updated on every reading.
 */
public final class EnergyWindow {
  /** Window start, microseconds since the epoch. */
  public long startMicros;

  /** Sum of the meter deltas of readings in the window. */
  public double meterKwh;

  /** Part of {@link #meterKwh} used while the machine was in a run state. */
  public double meterProducingKwh;

  /** Part of {@link #meterKwh} used while the machine was in another known state. */
  public double meterIdleKwh;

  /** Meter readings with a timestamp in the window. */
  public int readings;

  /** Readings where the meter went down and restarted from 0. */
  public int meterResets;

  /** Readings where the meter wrapped at its rollover value. */
  public int meterRollovers;

  /** Integrated power (trapezoids ending in the window). */
  public double powerKwh;

  /** Part of {@link #powerKwh} while in a run state. */
  public double powerProducingKwh;

  /** Part of {@link #powerKwh} while in another known state. */
  public double powerIdleKwh;

  /** Power samples with a timestamp in the window. */
  public int powerReadings;

  /** Intervals ending in the window longer than the maximum power gap, not integrated. */
  public int powerGaps;

  /** Good parts: deltas of the good-part counter ending in the window. */
  public long goodParts;

  /** Whether any energy (of either source) was split by a known machine state. */
  public boolean stateKnown;

  public EnergyWindow() {}

  /** An empty window. */
  public EnergyWindow(long startMicros) {
    this.startMicros = startMicros;
  }
}
