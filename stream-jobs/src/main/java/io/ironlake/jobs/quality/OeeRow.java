package io.ironlake.jobs.quality;

/**
 * OEE of one device or one line in one shift: a row of {@code ironlake.oee}. NaN stands for an
 * unknown number (written as null).
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device; null for a LINE row
 * @param scope DEVICE or LINE
 * @param shift the shift's name
 * @param shiftStartMicros shift start
 * @param shiftEndMicros shift end, exclusive
 * @param availability run / planned production time
 * @param performance ideal work / run time
 * @param quality good / total
 * @param oee availability × performance × quality
 * @param good good parts
 * @param total parts
 * @param runSeconds time running
 * @param idleSeconds unplanned idle time
 * @param downSeconds unplanned down time
 * @param plannedSeconds planned downtime
 * @param idealCycleSeconds the device's ideal cycle time (NaN for LINE rows and when unknown)
 * @param idealWorkSeconds Σ ideal cycle time × total (NaN when an ideal cycle time is unknown)
 * @param devices devices in the row
 * @param rulesVersion the version of the rule catalog that made it (0: the catalog the job started
 *     with)
 */
public record OeeRow(
    String site,
    String area,
    String line,
    String device,
    String scope,
    String shift,
    long shiftStartMicros,
    long shiftEndMicros,
    double availability,
    double performance,
    double quality,
    double oee,
    long good,
    long total,
    double runSeconds,
    double idleSeconds,
    double downSeconds,
    double plannedSeconds,
    double idealCycleSeconds,
    double idealWorkSeconds,
    int devices,
    long rulesVersion) {

  /** A row made by the catalog the job started with (rules version 0). */
  public OeeRow(
      String site,
      String area,
      String line,
      String device,
      String scope,
      String shift,
      long shiftStartMicros,
      long shiftEndMicros,
      double availability,
      double performance,
      double quality,
      double oee,
      long good,
      long total,
      double runSeconds,
      double idleSeconds,
      double downSeconds,
      double plannedSeconds,
      double idealCycleSeconds,
      double idealWorkSeconds,
      int devices) {
    this(
        site,
        area,
        line,
        device,
        scope,
        shift,
        shiftStartMicros,
        shiftEndMicros,
        availability,
        performance,
        quality,
        oee,
        good,
        total,
        runSeconds,
        idleSeconds,
        downSeconds,
        plannedSeconds,
        idealCycleSeconds,
        idealWorkSeconds,
        devices,
        0L);
  }

  /** This row, made by rules version {@code version}. */
  public OeeRow withRulesVersion(long version) {
    return new OeeRow(
        site,
        area,
        line,
        device,
        scope,
        shift,
        shiftStartMicros,
        shiftEndMicros,
        availability,
        performance,
        quality,
        oee,
        good,
        total,
        runSeconds,
        idleSeconds,
        downSeconds,
        plannedSeconds,
        idealCycleSeconds,
        idealWorkSeconds,
        devices,
        version);
  }

  /** Scope of a device's row. */
  public static final String DEVICE = "DEVICE";

  /** Scope of a line's row. */
  public static final String LINE = "LINE";

  /** The row of one device's shift. */
  public static OeeRow device(
      String site, String area, String line, String device, ShiftTotals t, double idealCycle) {
    Oee o = Oee.of(t, idealCycle);
    return new OeeRow(
        site,
        area,
        line,
        device,
        DEVICE,
        t.shift().name(),
        t.shift().startMicros(),
        t.shift().endMicros(),
        o.availability(),
        o.performance(),
        o.quality(),
        o.oee(),
        t.good(),
        t.total(),
        t.runMicros() / 1e6,
        t.idleMicros() / 1e6,
        t.downMicros() / 1e6,
        t.plannedMicros() / 1e6,
        idealCycle,
        idealCycle * t.total(),
        1);
  }

  /** Planned production time: run + idle + down. */
  public double plannedProductionSeconds() {
    return runSeconds + idleSeconds + downSeconds;
  }

  /** Parts that were not good. */
  public long scrap() {
    return total - good;
  }

  /**
   * The line's row: times, counts and ideal work summed over its devices' rows of the same shift,
   * then the same formulas (availability = Σ run / Σ planned production, performance = Σ ideal work
   * / Σ run, quality = Σ good / Σ total).
   */
  public static OeeRow line(Iterable<OeeRow> deviceRows) {
    OeeRow first = null;
    long good = 0;
    long total = 0;
    double run = 0;
    double idle = 0;
    double down = 0;
    double planned = 0;
    double idealWork = 0;
    int devices = 0;
    for (OeeRow r : deviceRows) {
      first = first == null ? r : first;
      good += r.good();
      total += r.total();
      run += r.runSeconds();
      idle += r.idleSeconds();
      down += r.downSeconds();
      planned += r.plannedSeconds();
      idealWork += r.idealWorkSeconds();
      devices += r.devices();
    }
    if (first == null) {
      throw new IllegalArgumentException("Cannot compute a line's OEE: no device rows");
    }
    Oee o = Oee.of(run, run + idle + down, idealWork, good, total);
    return new OeeRow(
        first.site(),
        first.area(),
        first.line(),
        null,
        LINE,
        first.shift(),
        first.shiftStartMicros(),
        first.shiftEndMicros(),
        o.availability(),
        o.performance(),
        o.quality(),
        o.oee(),
        good,
        total,
        run,
        idle,
        down,
        planned,
        Double.NaN,
        idealWork,
        devices);
  }
}
