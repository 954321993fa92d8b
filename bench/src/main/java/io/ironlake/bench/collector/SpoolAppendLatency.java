package io.ironlake.bench.collector;

import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long an append to the collector's spool holds up a source thread, on a folder on disk against
 * the same appends on a folder in memory (tmpfs: no disk under the page cache) in the same run,
 * interleaved. The load is the OPC UA benchmark's: every {@code tickMs}, {@code entries} entries of
 * {@code points} points each (one per notification message of a subscription), at the spool's
 * defaults ({@code spool.fsync: interval}, 100 ms; 64 MiB segments), while a reader thread takes
 * and acknowledges every entry as the publisher does when Kafka keeps up. Each append is timed
 * around {@code Spool.append}: the time a source thread (Milo's delivery thread) spends in the
 * spool, which every value of that notification message waits for.
 *
 * <p>Run: {@code bench/run io.ironlake.bench.collector.SpoolAppendLatency rounds=3 seconds=20
 * disk=/tmp memory=/dev/shm}
 */
public final class SpoolAppendLatency {
  static final Set<String> KEYS =
      Set.of("rounds", "seconds", "tickMs", "entries", "points", "disk", "memory");

  private SpoolAppendLatency() {}

  /** The appends of one phase, timed. */
  record Phase(String where, Latency latency, long over5Ms, int segments) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    BenchArgs a = BenchArgs.parse(args, KEYS);
    int rounds = a.integer("rounds", 3);
    int seconds = a.integer("seconds", 20);
    int tickMs = a.integer("tickMs", 100);
    int entries = a.integer("entries", 10);
    int points = a.integer("points", 1_008);
    Map<String, Path> folders =
        Map.of(
            "disk",
            Path.of(a.text("disk", "/tmp")),
            "memory",
            Path.of(a.text("memory", "/dev/shm")));
    PrintStream out = System.out;
    out.printf(
        "Spool append latency: %d rounds of %d s, %d entries of %d points every %d ms (%,.0f"
            + " points/s); disk %s, memory %s; load average %.1f%n",
        rounds,
        seconds,
        entries,
        points,
        tickMs,
        entries * points * 1000.0 / tickMs,
        folders.get("disk"),
        folders.get("memory"),
        Machine.loadAverage());
    List<TelemetryPoint> batch = batch(points);
    List<Phase> disk = new ArrayList<>();
    List<Phase> memory = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      String tag = round == 0 ? "warm-up" : "round " + round + "/" + rounds;
      for (String where : round % 2 == 0 ? List.of("disk", "memory") : List.of("memory", "disk")) {
        Phase p = phase(where, folders.get(where), batch, seconds, tickMs, entries);
        out.printf(
            "%-9s %-6s appends %,d: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms; over 5"
                + " ms: %d; segments written %d%n",
            tag,
            where,
            p.latency().count(),
            p.latency().p50Ms(),
            p.latency().p99Ms(),
            p.latency().p999Ms(),
            p.latency().maxMs(),
            p.over5Ms(),
            p.segments());
        if (round > 0) {
          (where.equals("disk") ? disk : memory).add(p);
        }
      }
    }
    out.printf("%nload average at the end %.1f%n%n", Machine.loadAverage());
    out.println("| folder | p50 | p99 | p99.9 | max | appends over 5 ms |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    row(out, "disk (" + folders.get("disk") + ")", disk);
    row(out, "memory (" + folders.get("memory") + "), the ceiling", memory);
  }

  private static void row(PrintStream out, String name, List<Phase> phases) {
    out.printf(
        "| %s | %.3f ms | %.3f ms | %.3f ms | %.1f ms | %s |%n",
        name,
        Rounds.median(phases.stream().map(p -> p.latency().p50Ms()).toList()),
        Rounds.median(phases.stream().map(p -> p.latency().p99Ms()).toList()),
        Rounds.median(phases.stream().map(p -> p.latency().p999Ms()).toList()),
        Rounds.median(phases.stream().map(p -> p.latency().maxMs()).toList()),
        phases.stream().map(p -> Long.toString(p.over5Ms())).toList());
  }

  private static Phase phase(
      String where, Path parent, List<TelemetryPoint> batch, int seconds, int tickMs, int entries)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(parent, "ironlake-bench-spool-");
    try {
      List<Long> micros = new ArrayList<>();
      int segments;
      try (Spool spool = Spool.open(SpoolConfig.defaults(dir), Clock.systemUTC())) {
        Thread reader = new Thread(() -> drain(spool), "bench-spool-reader");
        reader.setDaemon(true);
        reader.start();
        long seq = 0;
        long start = System.nanoTime();
        long ticks = seconds * 1000L / tickMs;
        Set<String> seen = new HashSet<>();
        for (long t = 0; t < ticks; t++) {
          ProcessClock.parkUntil(start + TimeUnit.MILLISECONDS.toNanos(t * tickMs));
          for (int e = 0; e < entries; e++) {
            long t0 = System.nanoTime();
            spool.append("bench", Spool.NO_MARK, seq, batch, () -> {});
            micros.add((System.nanoTime() - t0) / 1_000);
            seq += batch.size();
          }
          try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> seen.add(f.getFileName().toString()));
          }
        }
        reader.interrupt();
        reader.join(10_000);
        seen.removeIf(n -> !n.endsWith(".seg"));
        segments = seen.size();
      }
      long over5 = micros.stream().filter(m -> m > 5_000).count();
      return new Phase(where, Latency.ofMicros(micros), over5, segments);
    } finally {
      Machine.deleteTree(dir);
    }
  }

  /** The publisher when Kafka keeps up: takes every entry and acknowledges it at once. */
  private static void drain(Spool spool) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        List<SpoolEntry> got = spool.poll(8 << 20, Duration.ofMillis(100));
        if (!got.isEmpty()) {
          spool.acknowledge(got);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One notification message's points, shaped like the simulator's OPC UA values. */
  private static List<TelemetryPoint> batch(int points) {
    List<TelemetryPoint> out = new ArrayList<>(points);
    long now = System.currentTimeMillis() * 1_000;
    for (int i = 0; out.size() < points; i++) {
      for (Map.Entry<String, PointValue> v : SampleTelemetry.values(i, 0).entrySet()) {
        if (out.size() == points) {
          break;
        }
        out.add(
            new TelemetryPoint(
                SampleTelemetry.SITE,
                SampleTelemetry.AREA,
                "line-" + (1 + i / 96),
                SampleTelemetry.device(i % 96),
                v.getKey(),
                now,
                now,
                v.getValue(),
                Quality.GOOD,
                0L,
                SampleTelemetry.UNITS.getOrDefault(v.getKey(), ""),
                "bench-spool",
                "bench",
                out.size()));
      }
    }
    return out;
  }
}
