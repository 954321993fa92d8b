package io.ironlake.bench.collector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The CPU time of the benchmark's other processes (the collector's JVM, the Kafka broker's JVM), by
 * name, to add to a phase's {@link Measurement} of this process: {@link #mark()} at the start of
 * the phase, {@link Mark#addTo} at its end.
 */
final class OtherCpu {
  private final Map<String, LongSupplier> processes;

  private OtherCpu(Map<String, LongSupplier> processes) {
    this.processes = processes;
  }

  /** No other process. */
  static OtherCpu none() {
    return new OtherCpu(Map.of());
  }

  /** This and {@code process}, whose CPU time so far in nanoseconds {@code cpuNanos} gives. */
  OtherCpu and(String process, LongSupplier cpuNanos) {
    Map<String, LongSupplier> all = new LinkedHashMap<>(processes);
    all.put(process, cpuNanos);
    return new OtherCpu(all);
  }

  /** Each process's CPU time now. */
  Mark mark() {
    Map<String, Long> at = new LinkedHashMap<>();
    processes.forEach((name, cpu) -> at.put(name, cpu.getAsLong()));
    return new Mark(at);
  }

  /** The CPU times at a {@link #mark()}. */
  final class Mark {
    private final Map<String, Long> at;

    private Mark(Map<String, Long> at) {
      this.at = at;
    }

    /**
     * {@code m} with each process's CPU time since the mark added to the total and as a part of its
     * own (a process that used none, such as a broker in this JVM, is left out).
     */
    Measurement addTo(Measurement m) {
      Map<String, Long> parts = new java.util.TreeMap<>(m.cpuByPart());
      long extra = 0;
      for (Map.Entry<String, Long> e : at.entrySet()) {
        long used = processes.get(e.getKey()).getAsLong() - e.getValue();
        if (used > 0) {
          parts.put(e.getKey() + " (all of it)", used);
          extra += used;
        }
      }
      return extra == 0 ? m : new Measurement(m.points(), m.nanos(), m.cpuNanos() + extra, parts);
    }
  }
}
