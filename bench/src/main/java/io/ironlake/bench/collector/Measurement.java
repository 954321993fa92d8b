package io.ironlake.bench.collector;

import java.util.Map;

/**
 * One measured phase of one round: how many points went through in how much wall-clock time, and
 * how much CPU time the whole benchmark process used meanwhile.
 *
 * @param points points counted at the end of the phase's path
 * @param nanos wall-clock time, nanoseconds
 * @param cpuNanos process CPU time (all threads of the one JVM: brokers, clients, collector)
 * @param cpuByPart the CPU time by part of the pipeline ({@link ThreadCpu})
 */
public record Measurement(long points, long nanos, long cpuNanos, Map<String, Long> cpuByPart) {

  public Measurement {
    cpuByPart = Map.copyOf(cpuByPart);
  }

  /** A measurement without a breakdown of the CPU time. */
  public Measurement(long points, long nanos, long cpuNanos) {
    this(points, nanos, cpuNanos, Map.of());
  }

  /** Points per second of wall-clock time. */
  public double pointsPerSecond() {
    return nanos == 0 ? 0 : points * 1e9 / nanos;
  }

  /** CPU-seconds of the whole process per million points. */
  public double cpuSecondsPerMillion() {
    return points == 0 ? 0 : cpuNanos / 1e9 / points * 1e6;
  }

  /** The share of the machine's cores the process used on average (2.0 = both of 2 cores). */
  public double coresUsed() {
    return nanos == 0 ? 0 : (double) cpuNanos / nanos;
  }
}
