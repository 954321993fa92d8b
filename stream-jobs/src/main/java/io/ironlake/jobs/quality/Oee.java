package io.ironlake.jobs.quality;

/**
 * Overall equipment effectiveness: OEE = availability × performance × quality, with
 *
 * <ul>
 *   <li>availability = run time / planned production time (planned downtime excluded),
 *   <li>performance = ideal cycle time × total count / run time,
 *   <li>quality = good count / total count,
 *   <li>OEE = ideal cycle time × good count / planned production time (the same product, also
 *       defined when nothing ran: then 0).
 * </ul>
 *
 * Each is NaN when its denominator is 0 or the ideal cycle time is unknown (NaN).
 *
 * @param availability run time share of the planned production time
 * @param performance speed relative to the ideal cycle time
 * @param quality good share of the parts made (also the first-pass yield without rework data)
 * @param oee the product
 */
public record Oee(double availability, double performance, double quality, double oee) {

  /**
   * OEE from times in seconds and counts; {@code idealWorkSeconds} is Σ ideal cycle time × total
   * count (NaN if unknown).
   */
  public static Oee of(
      double runSeconds,
      double plannedProductionSeconds,
      double idealWorkSeconds,
      long good,
      long total) {
    double availability =
        plannedProductionSeconds > 0 ? runSeconds / plannedProductionSeconds : Double.NaN;
    double performance = runSeconds > 0 ? idealWorkSeconds / runSeconds : Double.NaN;
    double quality = total > 0 ? (double) good / total : Double.NaN;
    double oee = Double.NaN;
    if (plannedProductionSeconds > 0) {
      oee = total > 0 ? idealWorkSeconds * quality / plannedProductionSeconds : 0.0;
      if (Double.isNaN(idealWorkSeconds)) {
        oee = Double.NaN;
      }
    }
    return new Oee(availability, performance, quality, oee);
  }

  /** OEE of one machine over one period. */
  public static Oee of(ShiftTotals t, double idealCycleSeconds) {
    return of(
        t.runSeconds(),
        t.plannedProductionSeconds(),
        idealCycleSeconds * t.total(),
        t.good(),
        t.total());
  }
}
