package io.ironlake.jobs.quality;

import java.util.List;

/**
 * Process capability against specification limits: Cp = (USL − LSL)/6σ, Cpk = min(USL − μ, μ −
 * LSL)/3σ. NaN when σ is zero or unknown.
 *
 * @param mean μ, the process mean the indices were computed with
 * @param sigma σ, the process standard deviation they were computed with
 * @param cp potential capability (spread only)
 * @param cpk actual capability (spread and centering)
 */
public record Capability(double mean, double sigma, double cp, double cpk) {

  /** Cp and Cpk for a process of mean μ and standard deviation σ. */
  public static Capability of(double mean, double sigma, double lsl, double usl) {
    if (!(usl > lsl)) {
      throw new IllegalArgumentException(
          "Invalid spec limits " + lsl + " .. " + usl + ": expected lsl < usl");
    }
    if (!(sigma > 0) || !Double.isFinite(mean)) {
      return new Capability(mean, sigma, Double.NaN, Double.NaN);
    }
    return new Capability(
        mean, sigma, (usl - lsl) / (6 * sigma), Math.min(usl - mean, mean - lsl) / (3 * sigma));
  }

  /** Cp and Cpk of a sample: its mean and sample standard deviation (divisor n − 1). */
  public static Capability ofSample(double[] values, double lsl, double usl) {
    Subgroup s = Subgroup.of(values);
    return of(s.mean(), s.stddev(), lsl, usl);
  }

  /**
   * Cp and Cpk from subgroups of one size, with the within-subgroup σ̂ of the chart: R̄/d2 for
   * X-bar/R, S̄/c4 for X-bar/S; μ is the mean of the subgroup means.
   */
  public static Capability ofSubgroups(
      ChartType chart, List<Subgroup> subgroups, double lsl, double usl) {
    if (subgroups.isEmpty()) {
      return new Capability(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = 0;
    double dispersion = 0;
    for (Subgroup s : subgroups) {
      mean += s.mean();
      dispersion += chart == ChartType.XBAR_R ? s.range() : s.stddev();
    }
    mean /= subgroups.size();
    dispersion /= subgroups.size();
    SpcConstants k = SpcConstants.forSize(subgroups.get(0).n());
    double sigma = chart == ChartType.XBAR_R ? dispersion / k.d2() : dispersion / k.c4();
    return of(mean, sigma, lsl, usl);
  }
}
