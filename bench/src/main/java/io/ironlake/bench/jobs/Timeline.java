package io.ironlake.bench.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every measured alarm of a latency run with its times, to see the latency over time: when {@code
 * -Dironlake.bench.timeline=FILE} is set, a CSV (one alarm a line) and a per-second summary on the
 * output; otherwise nothing.
 */
final class Timeline {
  private final Path file;
  private final long startMillis;
  private final List<long[]> rows = new ArrayList<>();

  private Timeline(Path file, long startMillis) {
    this.file = file;
    this.startMillis = startMillis;
  }

  /** A timeline written to {@code -Dironlake.bench.timeline}, or one that keeps nothing. */
  static Timeline fromProperty(long startMillis) {
    String f = System.getProperty("ironlake.bench.timeline");
    return new Timeline(f == null ? null : Path.of(f), startMillis);
  }

  /** Notes an alarm whose point was appended to telemetry.v1 at {@code inMillis}. */
  void add(AlarmLatencyRun.Alarm a, long inMillis) {
    if (file != null) {
      rows.add(new long[] {a.appendMillis(), inMillis, a.tsMicros() / 1_000});
    }
  }

  /**
   * Writes the CSV ({@code out_ms,in_ms,point_ms,latency_ms,from_start_ms}) and prints, per second
   * since the start, the alarms appended in it and their worst latency.
   */
  void write(PrintStream out) {
    if (file == null) {
      return;
    }
    rows.sort((x, y) -> Long.compare(x[0], y[0]));
    Map<Long, long[]> perSecond = new TreeMap<>();
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write("out_ms,in_ms,point_ms,latency_ms,from_start_ms\n");
      for (long[] r : rows) {
        long latency = r[0] - r[1];
        long fromStart = r[0] - startMillis;
        w.write(r[0] + "," + r[1] + "," + r[2] + "," + latency + "," + fromStart + "\n");
        long[] s = perSecond.computeIfAbsent(fromStart / 1_000, k -> new long[2]);
        s[0]++;
        s[1] = Math.max(s[1], latency);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the timeline " + file, e);
    }
    out.printf("timeline (%s), start %d: second -> alarms, max latency ms%n", file, startMillis);
    StringBuilder line = new StringBuilder();
    perSecond.forEach((sec, s) -> line.append(String.format(" %d:%d/%d", sec, s[0], s[1])));
    out.println(line);
  }
}
