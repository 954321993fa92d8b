package io.ironlake.bench.collector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The measurements of interleaved rounds, by phase name, and their medians. Ratios are taken per
 * round (both sides measured minutes apart under the same machine load), then their median.
 */
final class Rounds {
  private final Map<String, List<Measurement>> phases = new LinkedHashMap<>();

  void add(String phase, Measurement m) {
    phases.computeIfAbsent(phase, p -> new ArrayList<>()).add(m);
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
