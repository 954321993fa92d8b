package io.ironlake.jobs.quality;

/**
 * Statistics of one rational subgroup of measurements.
 *
 * @param n number of measurements
 * @param mean arithmetic mean
 * @param range largest minus smallest
 * @param stddev sample standard deviation (divisor n - 1)
 */
public record Subgroup(int n, double mean, double range, double stddev) {

  /** The statistics of the given measurements; at least two. */
  public static Subgroup of(double... values) {
    if (values.length < 2) {
      throw new IllegalArgumentException(
          "Invalid subgroup of " + values.length + " values: expected at least 2");
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new Subgroup(values.length, mean, max - min, Math.sqrt(squares / (values.length - 1)));
  }
}
