package io.ironlake.bench.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The measurements of interleaved rounds, by phase name, and their medians. Ratios are taken per
 * round (both sides measured minutes apart under the same machine load), then their median.
 */
final class Rounds {
  private final Map<String, List<Measurement>> phases = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  void add(String phase, Measurement m) {
    phases.computeIfAbsent(phase, p -> new ArrayList<>()).add(m);
  }

  /** Something the run saw that the figures do not show, e.g. duplicates. */
  void note(String note) {
    notes.add(note);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  List<Measurement> of(String phase) {
    return phases.getOrDefault(phase, List.of());
  }

  double medianRate(String phase) {
    return median(of(phase), Measurement::pointsPerSecond);
  }

  double medianCpu(String phase) {
    return median(of(phase), Measurement::cpuSecondsPerMillion);
  }

  /**
   * CPU-seconds per million points by part of the pipeline, over all rounds of the phase (the
   * parts' CPU summed, divided by the points summed).
   */
  Map<String, Double> cpuByPartPerMillion(String phase) {
    Map<String, Double> out = new TreeMap<>();
    long points = of(phase).stream().mapToLong(Measurement::points).sum();
    for (Measurement m : of(phase)) {
      m.cpuByPart().forEach((part, nanos) -> out.merge(part, nanos / 1e3 / points, Double::sum));
    }
    return out;
  }

  /**
   * A Markdown table of {@link #cpuByPartPerMillion} for the phases, one column each, parts that
   * take less than 0.1 CPU-s per million points in every phase left out.
   */
  String cpuTable(List<String> phaseNames) {
    Map<String, Map<String, Double>> byPhase = new LinkedHashMap<>();
    Set<String> parts = new TreeSet<>();
    for (String p : phaseNames) {
      byPhase.put(p, cpuByPartPerMillion(p));
      parts.addAll(byPhase.get(p).keySet());
    }
    StringBuilder b = new StringBuilder("| CPU-s per 1M points, by part |");
    phaseNames.forEach(p -> b.append(' ').append(p).append(" |"));
    b.append("\n| --- |");
    phaseNames.forEach(p -> b.append(" ---: |"));
    b.append('\n');
    for (String part : parts) {
      if (byPhase.values().stream().allMatch(m -> m.getOrDefault(part, 0.0) < 0.1)) {
        continue;
      }
      b.append("| ").append(part).append(" |");
      for (String p : phaseNames) {
        b.append(String.format(" %.1f |", byPhase.get(p).getOrDefault(part, 0.0)));
      }
      b.append('\n');
    }
    b.append("| **whole process** (pooled over the rounds) |");
    phaseNames.forEach(p -> b.append(String.format(" **%.1f** |", pooledCpuPerMillion(p))));
    return b.append('\n').toString();
  }

  private double pooledCpuPerMillion(String phase) {
    long points = of(phase).stream().mapToLong(Measurement::points).sum();
    return of(phase).stream().mapToLong(Measurement::cpuNanos).sum() / 1e3 / points;
  }

  /** Per round, the ceiling of two paths sharing the cores: C = 1 / (1/A + 1/B). */
  List<Double> composed(String a, String b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(of(a).size(), of(b).size()); i++) {
      out.add(compose(of(a).get(i).pointsPerSecond(), of(b).get(i).pointsPerSecond()));
    }
    return out;
  }

  /** Per round, the phase's rate divided by the ceiling of the same round. */
  List<Double> ratios(String phase, List<Double> ceilings) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(of(phase).size(), ceilings.size()); i++) {
      out.add(of(phase).get(i).pointsPerSecond() / ceilings.get(i));
    }
    return out;
  }

  /**
   * Per round, the same ratio in CPU time instead of wall-clock time: (CPU per point of A + CPU per
   * point of B) / CPU per point of the phase. Less sensitive to what else runs on the machine,
   * since a phase that gets fewer cores is slower but not costlier.
   */
  List<Double> cpuRatios(String phase, String a, String b) {
    List<Double> out = new ArrayList<>();
    int n = Math.min(of(phase).size(), Math.min(of(a).size(), of(b).size()));
    for (int i = 0; i < n; i++) {
      out.add(
          (of(a).get(i).cpuSecondsPerMillion() + of(b).get(i).cpuSecondsPerMillion())
              / of(phase).get(i).cpuSecondsPerMillion());
    }
    return out;
  }

  static double compose(double a, double b) {
    return 1 / (1 / a + 1 / b);
  }

  /**
   * The ceiling of a spool replay while as many points arrive live as the backlog holds: the source
   * carries each live point once, Kafka carries the backlog and the live points, so per two points
   * into Kafka one point's source time and two points' Kafka time: 2 / (1/A + 2/B).
   */
  static double replayCeiling(double a, double b) {
    return 2 / (1 / a + 2 / b);
  }

  static <T> double median(List<T> values, ToDoubleFunction<T> f) {
    List<Double> d = new ArrayList<>();
    values.forEach(v -> d.add(f.applyAsDouble(v)));
    return median(d);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
