package io.ironlake.jobs.quality;

/** The pair of Shewhart charts kept per characteristic. */
public enum ChartType {
  /** X-bar chart with a range (R) chart; the usual choice for subgroups of up to about 10. */
  XBAR_R,
  /** X-bar chart with a standard deviation (S) chart; better for larger subgroups. */
  XBAR_S
}
