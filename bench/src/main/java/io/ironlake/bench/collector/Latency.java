package io.ironlake.bench.collector;

import java.util.ArrayList;
import java.util.List;

/**
 * A latency distribution in milliseconds.
 *
 * @param count how many samples
 * @param p50Ms the median
 * @param p99Ms the 99th percentile
 * @param p999Ms the 99.9th percentile
 * @param maxMs the largest
 */
record Latency(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

  /** The distribution of samples given in microseconds. */
  static Latency ofMicros(List<Long> micros) {
    if (micros.isEmpty()) {
      return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Long> sorted = new ArrayList<>(micros);
    sorted.sort(Long::compare);
    return new Latency(
        sorted.size(),
        percentile(sorted, 0.50) / 1e3,
        percentile(sorted, 0.99) / 1e3,
        percentile(sorted, 0.999) / 1e3,
        sorted.get(sorted.size() - 1) / 1e3);
  }

  private static long percentile(List<Long> sorted, double q) {
    return sorted.get((int) Math.ceil(q * sorted.size()) - 1);
  }
}
