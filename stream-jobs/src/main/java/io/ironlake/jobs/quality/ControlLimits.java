package io.ironlake.jobs.quality;

import java.io.Serializable;
import java.util.List;

/**
 * Control limits of an X-bar chart and of its dispersion chart (R or S).
 *
 * @param chart which dispersion chart the limits are for
 * @param subgroupSize n
 * @param center X-bar center line (X̿ or the configured process mean)
 * @param ucl X-bar upper control limit
 * @param lcl X-bar lower control limit
 * @param dispersionCenter R̄ or S̄
 * @param dispersionUcl upper limit of the R or S chart
 * @param dispersionLcl lower limit of the R or S chart
 */
public record ControlLimits(
    ChartType chart,
    int subgroupSize,
    double center,
    double ucl,
    double lcl,
    double dispersionCenter,
    double dispersionUcl,
    double dispersionLcl)
    implements Serializable {

  public ControlLimits {
    if (!(ucl > center && center > lcl)) {
      throw new IllegalArgumentException(
          "Invalid control limits "
              + lcl
              + " < "
              + center
              + " < "
              + ucl
              + ": expected lcl < center < ucl");
    }
  }

  /**
   * Phase I limits from baseline subgroups of one size: X̿ ± A2·R̄ with D3·R̄ .. D4·R̄ for X-bar/R,
   * X̿ ± A3·S̄ with B3·S̄ .. B4·S̄ for X-bar/S.
   */
  public static ControlLimits fromBaseline(ChartType chart, List<Subgroup> baseline) {
    if (baseline.isEmpty()) {
      throw new IllegalArgumentException("Cannot compute control limits: no baseline subgroups");
    }
    int n = baseline.get(0).n();
    double grandMean = 0;
    double dispersion = 0;
    for (Subgroup s : baseline) {
      if (s.n() != n) {
        throw new IllegalArgumentException(
            "Cannot compute control limits: subgroups of sizes " + n + " and " + s.n());
      }
      grandMean += s.mean();
      dispersion += chart == ChartType.XBAR_R ? s.range() : s.stddev();
    }
    grandMean /= baseline.size();
    dispersion /= baseline.size();
    SpcConstants k = SpcConstants.forSize(n);
    if (chart == ChartType.XBAR_R) {
      return new ControlLimits(
          chart,
          n,
          grandMean,
          grandMean + k.a2() * dispersion,
          grandMean - k.a2() * dispersion,
          dispersion,
          k.d4() * dispersion,
          k.d3Factor() * dispersion);
    }
    return new ControlLimits(
        chart,
        n,
        grandMean,
        grandMean + k.a3() * dispersion,
        grandMean - k.a3() * dispersion,
        dispersion,
        k.b4() * dispersion,
        k.b3() * dispersion);
  }

  /**
   * Limits from a known process mean and standard deviation (the "standard given" case): center μ,
   * X-bar limits μ ± 3σ/√n; R chart d2σ with (d2 ∓ 3d3)σ, S chart c4σ with (c4 ∓ 3√(1-c4²))σ, lower
   * limits at least 0.
   */
  public static ControlLimits fromProcess(ChartType chart, int n, double mean, double sigma) {
    if (!(sigma > 0)) {
      throw new IllegalArgumentException(
          "Invalid process sigma " + sigma + ": expected a positive number");
    }
    SpcConstants k = SpcConstants.forSize(n);
    double half = 3 * sigma / Math.sqrt(n);
    if (chart == ChartType.XBAR_R) {
      return new ControlLimits(
          chart,
          n,
          mean,
          mean + half,
          mean - half,
          k.d2() * sigma,
          (k.d2() + 3 * k.d3()) * sigma,
          Math.max(0, (k.d2() - 3 * k.d3()) * sigma));
    }
    double spread = 3 * Math.sqrt(1 - k.c4() * k.c4());
    return new ControlLimits(
        chart,
        n,
        mean,
        mean + half,
        mean - half,
        k.c4() * sigma,
        (k.c4() + spread) * sigma,
        Math.max(0, (k.c4() - spread) * sigma));
  }

  /**
   * The X-bar value in units of its own standard error above (positive) or below the center line:
   * (x − CL)/((UCL − CL)/3) above, (x − CL)/((CL − LCL)/3) below, so zone edges are at ±1, ±2, ±3.
   */
  public double zScore(double mean) {
    return mean >= center
        ? 3 * (mean - center) / (ucl - center)
        : 3 * (mean - center) / (center - lcl);
  }

  /**
   * Whether a subgroup's range or standard deviation lies outside the dispersion chart's limits.
   */
  public boolean dispersionOutOfLimits(Subgroup s) {
    double d = chart == ChartType.XBAR_R ? s.range() : s.stddev();
    return d > dispersionUcl || d < dispersionLcl;
  }

  /**
   * The within-subgroup estimate of the process standard deviation: R̄/d2 or S̄/c4, from the
   * dispersion center line.
   */
  public double withinSigma() {
    SpcConstants k = SpcConstants.forSize(subgroupSize);
    return chart == ChartType.XBAR_R ? dispersionCenter / k.d2() : dispersionCenter / k.c4();
  }
}
