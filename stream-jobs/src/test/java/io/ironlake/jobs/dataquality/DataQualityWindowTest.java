package io.ironlake.jobs.dataquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.dataquality.DataQualityParams.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Data quality of crafted hours, against expectations worked out by hand. */
class DataQualityWindowTest {
  private static final long T0 = 1_741_068_000_000_000L; // 2025-03-04T06:00:00Z in micros
  private static final long HOUR = 3_600_000_000L;
  private static final double EPS = 1e-9;

  private long seq;

  static TelemetryPoint point(
      long tsMicros, long latencyMicros, PointValue v, Quality q, long seq) {
    return new TelemetryPoint(
        "plant-sh",
        "assembly",
        "line-1",
        "m01",
        "temperature_c",
        tsMicros,
        tsMicros + latencyMicros,
        v,
        q,
        q == Quality.BAD ? 0x80000000L : 0L,
        "C",
        "edge-1",
        "opcua",
        seq);
  }

  @Test
  void deviceWithKnownGapsDuplicatesLateBadAndInvalidPoints() {
    DataQualityParams params =
        DataQualityParams.DEFAULTS
            .withExpectedPeriod(Duration.ofSeconds(10))
            .withValidity(ValueType.NUMERIC, 0.0, 100.0);
    Set<Integer> bad = Set.of(1, 2, 3);
    List<TelemetryPoint> points = new ArrayList<>();
    // Every 10 s over the hour (360 expected), except 600..890 s (30 missing) and 2000..2040 s
    // (5 missing): 325 samples.
    for (int k = 0; k < 360; k++) {
      if ((k >= 60 && k < 90) || (k >= 200 && k < 205)) {
        continue;
      }
      double value = (k >= 40 && k < 44) ? 150.0 + k : 20.0 + k % 7; // 4 out of range
      long latency = (k >= 300 && k < 320) ? 8_000_000L : 1_000_000L; // 20 late (> 5 s)
      points.add(
          point(
              T0 + k * 10_000_000L,
              latency,
              PointValue.of(value),
              bad.contains(k) ? Quality.BAD : Quality.GOOD,
              seq++));
    }
    // The samples at 100 s and 200 s sent twice (new seq, same time and value): 327 points.
    points.add(point(T0 + 100_000_000L, 1_000_000L, PointValue.of(20.0 + 10 % 7), Quality.GOOD, 1));
    points.add(point(T0 + 200_000_000L, 1_000_000L, PointValue.of(20.0 + 20 % 7), Quality.GOOD, 2));
    Collections.shuffle(points, new java.util.Random(7));

    DataQualityRow row = DataQualityWindow.compute(params, T0, T0 + HOUR, points);

    assertThat(row.device()).isEqualTo("m01");
    assertThat(row.tag()).isEqualTo("temperature_c");
    assertThat(row.windowStartMicros()).isEqualTo(T0);
    assertThat(row.windowEndMicros()).isEqualTo(T0 + HOUR);
    assertThat(row.points()).isEqualTo(327);
    assertThat(row.expected()).isEqualTo(360);
    assertThat(row.duplicates()).isEqualTo(2);
    assertThat(row.completeness()).isCloseTo(325.0 / 360, within(EPS));
    // 307 latencies of 1 s and 20 of 8 s; nearest rank: p50 rank 164, p95 rank 311, p99 rank 324
    assertThat(row.latencyP50Ms()).isEqualTo(1000.0);
    assertThat(row.latencyP95Ms()).isEqualTo(8000.0);
    assertThat(row.latencyP99Ms()).isEqualTo(8000.0);
    assertThat(row.timeliness()).isCloseTo(307.0 / 327, within(EPS));
    assertThat(row.validity()).isCloseTo(323.0 / 327, within(EPS));
    assertThat(row.badShare()).isCloseTo(3.0 / 327, within(EPS));
    // 590 s -> 900 s and 1990 s -> 2050 s are longer than 3 x 10 s
    assertThat(row.gaps()).isEqualTo(2);
    assertThat(row.longestGapSeconds()).isEqualTo(310.0);
    assertThat(row.longestRunSeconds()).isEqualTo(0.0);
    assertThat(row.frozen()).isFalse();
    // 100 x (0.30 x 325/360 + 0.15 x 307/327 + 0.20 x 323/327 + 0.15 x 324/327
    //        + 0.10 x 325/327 + 0.10 x 1)
    assertThat(row.score()).isCloseTo(95.72247706422019, within(1e-9));
  }

  @Test
  void frozenSensorLosesItsLivenessShare() {
    DataQualityParams params = DataQualityParams.DEFAULTS.withExpectedPeriod(Duration.ofMinutes(1));
    // One sample a minute, 42.0 from minute 10 to minute 20 inclusive: 600 s unchanged = frozen
    DataQualityRow frozen = DataQualityWindow.compute(params, T0, T0 + HOUR, minutes(10, 20));
    assertThat(frozen.points()).isEqualTo(60);
    assertThat(frozen.completeness()).isEqualTo(1.0);
    assertThat(frozen.gaps()).isZero();
    assertThat(frozen.longestGapSeconds()).isEqualTo(60.0);
    assertThat(frozen.longestRunSeconds()).isEqualTo(600.0);
    assertThat(frozen.frozen()).isTrue();
    assertThat(frozen.score()).isCloseTo(90.0, within(EPS));
    // Minute 10 to 19: 540 s, below the 10 minutes of frozen-after
    DataQualityRow live = DataQualityWindow.compute(params, T0, T0 + HOUR, minutes(10, 19));
    assertThat(live.longestRunSeconds()).isEqualTo(540.0);
    assertThat(live.frozen()).isFalse();
    assertThat(live.score()).isCloseTo(100.0, within(EPS));
  }

  private List<TelemetryPoint> minutes(int constantFrom, int constantTo) {
    List<TelemetryPoint> points = new ArrayList<>();
    for (int m = 0; m < 60; m++) {
      double v = m >= constantFrom && m <= constantTo ? 42.0 : m;
      points.add(point(T0 + m * 60_000_000L, 1_000L, PointValue.of(v), Quality.GOOD, seq++));
    }
    return points;
  }

  @Test
  void validityChecksTypeRangeAndFiniteness() {
    DataQualityParams numeric =
        DataQualityParams.DEFAULTS.withValidity(ValueType.NUMERIC, 0.0, 10.0);
    assertThat(DataQualityWindow.isValid(PointValue.of(10.0), numeric)).isTrue();
    assertThat(DataQualityWindow.isValid(PointValue.of(0L), numeric)).isTrue();
    assertThat(DataQualityWindow.isValid(PointValue.of(10.5), numeric)).isFalse();
    assertThat(DataQualityWindow.isValid(PointValue.of(-1L), numeric)).isFalse();
    assertThat(DataQualityWindow.isValid(PointValue.of(Double.NaN), numeric)).isFalse();
    assertThat(DataQualityWindow.isValid(PointValue.of("n/a"), numeric)).isFalse();
    DataQualityParams any = DataQualityParams.DEFAULTS;
    assertThat(DataQualityWindow.isValid(PointValue.of("RUNNING"), any)).isTrue();
    assertThat(DataQualityWindow.isValid(PointValue.of(Double.POSITIVE_INFINITY), any)).isFalse();
    DataQualityParams bool = DataQualityParams.DEFAULTS.withValidity(ValueType.BOOLEAN, null, null);
    assertThat(DataQualityWindow.isValid(PointValue.of(true), bool)).isTrue();
    assertThat(DataQualityWindow.isValid(PointValue.of(1L), bool)).isFalse();
  }

  @Test
  void percentilesUseTheNearestRank() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    assertThat(DataQualityWindow.percentile(sorted, 0.50)).isEqualTo(50.0);
    assertThat(DataQualityWindow.percentile(sorted, 0.95)).isEqualTo(100.0);
    assertThat(DataQualityWindow.percentile(new long[] {7}, 0.99)).isEqualTo(7.0);
  }

  @Test
  void badParametersAreRefusedWithTheKey() {
    assertThatThrownBy(() -> DataQualityParams.DEFAULTS.withExpectedPeriod(Duration.ZERO))
        .hasMessage("Invalid value PT0S for `expectedPeriod`: expected a positive duration");
    assertThatThrownBy(() -> DataQualityParams.DEFAULTS.withValidity(ValueType.NUMERIC, 5.0, 1.0))
        .hasMessage("Invalid value 5.0 for `validMin`: expected <= validMax 1.0");
    assertThatThrownBy(() -> new DataQualityParams.Weights(0, 0, 0, 0, 0, 0))
        .hasMessage("Invalid value 0 for `weights`: expected at least one positive weight");
    assertThatThrownBy(() -> DataQualityWindow.compute(DataQualityParams.DEFAULTS, 0, 1, List.of()))
        .hasMessage("Cannot compute data quality: no points in the window");
  }
}
