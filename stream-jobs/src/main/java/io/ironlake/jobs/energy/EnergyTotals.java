package io.ironlake.jobs.energy;

/**
 * Running sums of minute rows for one device or line in one shift (state of {@link
 * EnergyShiftFunction}); a mutable Flink POJO.
 */
public final class EnergyTotals {
  public String scope;
  public String site;
  public String area;
  public String line;
  public String device;
  public String shift;
  public long startMicros;
  public long endMicros;
  public double energyKwh;
  public double producingKwh;
  public double idleKwh;
  public int splitMinutes;
  public long goodParts;
  public double co2eKg;
  public int co2Minutes;
  public double baselineKwh;
  public double baselineEnergyKwh;
  public int baselineMinutes;
  public int minutes;
  public long rulesVersion;

  public EnergyTotals() {}

  /** Empty totals of a device (device set) or a line (device null). */
  public static EnergyTotals of(EnergyRow r, String device, String shift, long start, long end) {
    EnergyTotals t = new EnergyTotals();
    t.scope = device == null ? "LINE" : "DEVICE";
    t.site = r.site();
    t.area = r.area();
    t.line = r.line();
    t.device = device;
    t.shift = shift;
    t.startMicros = start;
    t.endMicros = end;
    return t;
  }

  /** Adds one minute row. */
  public void add(EnergyRow r) {
    minutes++;
    energyKwh += r.energyKwh();
    goodParts += r.goodParts();
    if (!Double.isNaN(r.producingKwh())) {
      producingKwh += r.producingKwh();
      idleKwh += r.idleKwh();
      splitMinutes++;
    }
    if (!Double.isNaN(r.co2eKg())) {
      co2eKg += r.co2eKg();
      co2Minutes++;
    }
    if (!Double.isNaN(r.baselineKwh())) {
      baselineKwh += r.baselineKwh();
      baselineEnergyKwh += r.energyKwh();
      baselineMinutes++;
    }
  }

  /** The row of these totals. */
  public EnergyShiftRow toRow(int devices) {
    double baseline = baselineMinutes > 0 ? baselineKwh : Double.NaN;
    double deviation = baselineMinutes > 0 ? baselineEnergyKwh - baselineKwh : Double.NaN;
    return new EnergyShiftRow(
        scope,
        site,
        area,
        line,
        device,
        shift,
        startMicros,
        endMicros,
        energyKwh,
        splitMinutes > 0 ? producingKwh : Double.NaN,
        splitMinutes > 0 ? idleKwh : Double.NaN,
        goodParts,
        goodParts > 0 ? energyKwh / goodParts : Double.NaN,
        co2Minutes > 0 ? co2eKg : Double.NaN,
        baseline,
        deviation,
        baseline > 0 ? 100 * deviation / baseline : Double.NaN,
        minutes,
        devices,
        rulesVersion);
  }
}
