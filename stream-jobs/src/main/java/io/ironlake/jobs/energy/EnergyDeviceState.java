package io.ironlake.jobs.energy;

/**
 * One device's running state in the energy job: the previous meter, power and counter samples,
 * recent machine states and the recent windows of the learned baseline. A mutable Flink POJO.
 */
public final class EnergyDeviceState {
  public String site;
  public String area;
  public String line;
  public String device;

  /** Whether a meter reading was seen; then {@link #meterTs} and {@link #meterKwh} hold it. */
  public boolean hasMeter;

  public long meterTs;
  public double meterKwh;

  /** Whether a power sample was seen; then {@link #powerTs} and {@link #powerKw} hold it. */
  public boolean hasPower;

  public long powerTs;
  public double powerKw;

  /** Whether a good-part count was seen; then {@link #goodTs} and {@link #goodCount} hold it. */
  public boolean hasGood;

  public long goodTs;
  public long goodCount;

  /** Times of machine state changes, oldest first (at most the ones still needed). */
  public long[] stateTs = new long[0];

  /** For each of {@link #stateTs}: 1 when the new state is a run state, else 0. */
  public byte[] stateRunning = new byte[0];

  /** kWh of the device's latest windows, oldest first, for the learned baseline. */
  public double[] recentKwh = new double[0];

  public EnergyDeviceState() {}
}
