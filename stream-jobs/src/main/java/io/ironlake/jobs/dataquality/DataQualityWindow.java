package io.ironlake.jobs.dataquality;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Computes the data quality of one tag of one device in one window from its points (plain Java, no
 * Flink); the formula is in the README.
 */
public final class DataQualityWindow {
  private DataQualityWindow() {}

  /**
   * The quality of the points (all of one device and tag, timestamps in {@code [start, end)}).
   *
   * @throws IllegalArgumentException when there are no points or the window is empty
   */
  public static DataQualityRow compute(
      DataQualityParams params,
      long windowStartMicros,
      long windowEndMicros,
      Iterable<TelemetryPoint> input) {
    List<TelemetryPoint> points = new ArrayList<>();
    input.forEach(points::add);
    if (points.isEmpty()) {
      throw new IllegalArgumentException("Cannot compute data quality: no points in the window");
    }
    if (windowEndMicros <= windowStartMicros) {
      throw new IllegalArgumentException(
          "Cannot compute data quality: empty window " + windowStartMicros);
    }
    points.sort(
        Comparator.comparingLong(TelemetryPoint::tsMicros).thenComparingLong(TelemetryPoint::seq));
    TelemetryPoint first = points.get(0);
    int n = points.size();
    long periodMicros = micros(params.expectedPeriod());
    long expected = Math.max(1, (windowEndMicros - windowStartMicros) / periodMicros);

    long duplicates = 0;
    long bad = 0;
    long valid = 0;
    long timely = 0;
    long targetMicros = micros(params.latencyTarget());
    long[] latencies = new long[n];
    Set<Sample> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      TelemetryPoint p = points.get(i);
      if (!seen.add(new Sample(p.tsMicros(), p.value()))) {
        duplicates++;
      }
      if (p.quality() == Quality.BAD) {
        bad++;
      }
      if (isValid(p.value(), params)) {
        valid++;
      }
      latencies[i] = p.ingestTsMicros() - p.tsMicros();
      if (latencies[i] <= targetMicros) {
        timely++;
      }
    }
    Arrays.sort(latencies);

    // Gaps between consecutive distinct timestamps.
    int gaps = 0;
    long longestGap = 0;
    double gapLimit = params.gapFactor() * periodMicros;
    for (int i = 1; i < n; i++) {
      long interval = points.get(i).tsMicros() - points.get(i - 1).tsMicros();
      if (interval > gapLimit) {
        gaps++;
      }
      longestGap = Math.max(longestGap, interval);
    }

    long longestRun = longestRunMicros(points);
    boolean frozen = longestRun >= micros(params.frozenAfter());

    double completeness = Math.min(1.0, (double) (n - duplicates) / expected);
    double timeliness = (double) timely / n;
    double validity = (double) valid / n;
    double badShare = (double) bad / n;
    double uniqueness = 1.0 - (double) duplicates / n;
    DataQualityParams.Weights w = params.weights();
    double score =
        100.0
            * (w.completeness() * completeness
                + w.timeliness() * timeliness
                + w.validity() * validity
                + w.quality() * (1.0 - badShare)
                + w.uniqueness() * uniqueness
                + w.liveness() * (frozen ? 0.0 : 1.0))
            / w.sum();
    return new DataQualityRow(
        first.site(),
        first.area(),
        first.line(),
        first.device(),
        first.tag(),
        windowStartMicros,
        windowEndMicros,
        n,
        expected,
        completeness,
        percentile(latencies, 0.50) / 1000.0,
        percentile(latencies, 0.95) / 1000.0,
        percentile(latencies, 0.99) / 1000.0,
        timeliness,
        validity,
        badShare,
        duplicates,
        gaps,
        longestGap / 1e6,
        longestRun / 1e6,
        frozen,
        score);
  }

  /** Nearest-rank percentile: the value at rank ceil(q x n) of the sorted values. */
  static double percentile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** Whether a value has the expected type and, if numeric, is finite and within the range. */
  static boolean isValid(PointValue v, DataQualityParams params) {
    boolean typeOk =
        switch (params.expectedType()) {
          case ANY -> true;
          case NUMERIC -> v.isNumeric();
          case DOUBLE -> v instanceof PointValue.DoubleValue;
          case LONG -> v instanceof PointValue.LongValue;
          case BOOLEAN -> v instanceof PointValue.BooleanValue;
          case STRING -> v instanceof PointValue.StringValue;
        };
    if (!typeOk) {
      return false;
    }
    if (v instanceof PointValue.DoubleValue || v instanceof PointValue.LongValue) {
      double d = v.asDouble();
      return Double.isFinite(d)
          && (params.validMin() == null || d >= params.validMin())
          && (params.validMax() == null || d <= params.validMax());
    }
    return true;
  }

  /**
   * Longest time a double value of a point not BAD stayed exactly the same: from the first to the
   * last consecutive point with that value. Other types (counters, states, flags) legitimately stay
   * constant and are not checked.
   */
  private static long longestRunMicros(List<TelemetryPoint> sorted) {
    long longest = 0;
    Double runValue = null;
    long runStart = 0;
    for (TelemetryPoint p : sorted) {
      if (!(p.value() instanceof PointValue.DoubleValue d) || p.quality() == Quality.BAD) {
        continue;
      }
      if (runValue == null || Double.compare(runValue, d.value()) != 0) {
        runValue = d.value();
        runStart = p.tsMicros();
      }
      longest = Math.max(longest, p.tsMicros() - runStart);
    }
    return longest;
  }

  private static long micros(java.time.Duration d) {
    return Math.max(1, d.toNanos() / 1000);
  }

  private record Sample(long tsMicros, PointValue value) {
    Sample {
      Objects.requireNonNull(value);
    }
  }
}
