package io.ironlake.bench.collector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time by part of the pipeline, from the JVM's per-thread CPU clocks and the threads' names.
 * Threads started during a phase count from zero; threads that ended during it, and the JVM's own
 * work (garbage collection, JIT compilation), are not seen: the phase's process CPU minus the sum
 * of the parts is that remainder.
 */
final class ThreadCpu {
  static final String UNSEEN = "not seen by thread (GC, JIT, threads that ended)";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> startNanos;

  private ThreadCpu(Map<Long, Long> startNanos) {
    this.startNanos = startNanos;
  }

  static ThreadCpu start() {
    Map<Long, Long> start = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        start.put(id, cpu);
      }
    }
    return new ThreadCpu(start);
  }

  /** CPU nanoseconds since {@link #start()} by part, the remainder under {@link #UNSEEN}. */
  Map<String, Long> stop(long processCpuNanos) {
    Map<String, Long> parts = new TreeMap<>();
    long seen = 0;
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(t.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long delta = cpu - startNanos.getOrDefault(t.getThreadId(), 0L);
      parts.merge(part(t.getThreadName()), delta, Long::sum);
      seen += delta;
    }
    parts.put(UNSEEN, Math.max(0, processCpuNanos - seen));
    return parts;
  }

  /** The part of the pipeline a thread belongs to, by its name. */
  static String part(String name) {
    if (name.startsWith("kafka-producer-network-thread | ironlake-collector")) {
      return "collector: Kafka producer I/O";
    } else if (name.startsWith("kafka-producer-network-thread | ironlake-bench-raw")) {
      return "raw producer (B): Kafka producer I/O";
    } else if (name.startsWith("ironlake-kafka-publisher")) {
      return "collector: spool → producer";
    } else if (name.startsWith("ironlake-spool")) {
      return "collector: spool fsync";
    } else if (name.startsWith("ironlake-mqtt-") || name.startsWith("ironlake-opcua-")) {
      return "collector: source scheduler";
    } else if (name.startsWith("MQTT ")) {
      if (name.contains("ironlake-bench-collector") || name.contains("ironlake-bench-replay")) {
        return "collector: MQTT client (Paho; decode, spool)";
      } else if (name.contains("ironlake-bench-count")) {
        return "count-only subscriber (A, Paho)";
      }
      return "MQTT publisher (Paho)";
    } else if (name.startsWith("ironlake-bench-publisher")) {
      return "MQTT publisher (Paho)";
    } else if (name.startsWith("nioEventLoopGroup") || name.startsWith("Session Executor")) {
      return "MQTT broker (Moquette)";
    } else if (name.startsWith("ironlake-simulator")) {
      return "simulator ticks";
    } else if (name.startsWith("milo")) {
      return "Milo (server and clients share these threads)";
    } else if (name.equals("main")) {
      return "benchmark driver (main: raw sends, polling)";
    } else if (name.contains("kafka")
        || name.startsWith("data-plane")
        || name.startsWith("broker-")
        || name.startsWith("controller-")
        || name.startsWith("quorum-controller")
        || name.startsWith("ExpirationReaper")) {
      return "Kafka broker";
    }
    return "other threads";
  }
}
