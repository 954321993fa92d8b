package io.ironlake.bench.collector;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Wall-clock and CPU time of the benchmark process (also by part, {@link ThreadCpu}), and waiting
 * for a condition.
 */
final class ProcessClock {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final long startNanos = System.nanoTime();
  private final long startCpuNanos = OS.getProcessCpuTime();
  private final ThreadCpu threads = ThreadCpu.start();

  private ProcessClock() {}

  /** Starts measuring now. */
  static ProcessClock start() {
    return new ProcessClock();
  }

  /** What was measured since {@link #start()}, for {@code points} points. */
  Measurement stop(long points) {
    long nanos = System.nanoTime() - startNanos;
    long cpu = OS.getProcessCpuTime() - startCpuNanos;
    return new Measurement(points, nanos, cpu, threads.stop(cpu));
  }

  /**
   * Polls {@code condition} every millisecond until it holds.
   *
   * @throws IllegalStateException when it does not hold within {@code timeout}
   */
  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Cannot finish benchmark phase: " + what + " not reached within " + timeout);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Parks the calling thread until {@code System.nanoTime()} reaches {@code deadlineNanos}. */
  static void parkUntil(long deadlineNanos) {
    for (long left = deadlineNanos - System.nanoTime();
        left > 0;
        left = deadlineNanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
