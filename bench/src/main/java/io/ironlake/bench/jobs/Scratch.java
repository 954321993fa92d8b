package io.ironlake.bench.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The machine around the latency runs: its load, scratch folders, percentiles. */
final class Scratch {
  private Scratch() {}

  /** The system load average of the last minute (other builds share the cores). */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** CPU time of this JVM, all threads, in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }

  /** Nearest-rank percentile (the value at rank ⌈q·n⌉) of a sorted, non-empty list. */
  static long pct(List<Long> sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** {@code p50 .., p95 .., p99 .., max .. (n events)} of a sorted list, or {@code none}. */
  static String percentiles(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return "none";
    }
    return String.format(
        "p50 %d, p95 %d, p99 %d, max %d (%,d events)",
        pct(sorted, 0.50),
        pct(sorted, 0.95),
        pct(sorted, 0.99),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }
}
