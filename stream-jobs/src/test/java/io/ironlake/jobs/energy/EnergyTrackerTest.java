package io.ironlake.jobs.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.TestPoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The energy arithmetic of one device, with every expectation worked out by hand. */
class EnergyTrackerTest {
  private static final Instant T0 = Instant.parse("2025-03-04T08:00:00Z");
  private static final double EPS = 1e-9;

  private final TestPoints t = new TestPoints("plant-sh", "press-shop", T0);

  /** Runs points through a tracker and closes every window, oldest first. */
  private static List<EnergyRow> rows(EnergyParams params, List<TelemetryPoint> points) {
    EnergyDeviceState state = new EnergyDeviceState();
    TreeMap<Long, EnergyWindow> windows = new TreeMap<>();
    EnergyTracker tracker =
        new EnergyTracker(
            params, state, start -> windows.computeIfAbsent(start, EnergyWindow::new));
    for (TelemetryPoint p : points) {
      tracker.accept(p);
    }
    List<EnergyRow> out = new ArrayList<>();
    for (Map.Entry<Long, EnergyWindow> e : windows.entrySet()) {
      EnergyRow row = tracker.close(e.getValue());
      if (row != null) {
        out.add(row);
      }
    }
    return out;
  }

  private TelemetryPoint meter(double seconds, double kwh) {
    return t.at("line-1", "press-1", "energy_kwh", seconds, PointValue.of(kwh));
  }

  private TelemetryPoint power(double seconds, double kw) {
    return t.at("line-1", "press-1", "power_kw", seconds, PointValue.of(kw));
  }

  private TelemetryPoint state(double seconds, String value) {
    return t.at("line-1", "press-1", "state", seconds, PointValue.of(value));
  }

  private TelemetryPoint good(double seconds, long count) {
    return t.at("line-1", "press-1", "good_count", seconds, PointValue.of(count));
  }

  @Test
  void kwhAcrossARolloverAndAReset() {
    EnergyParams params = EnergyParams.builder().meterRolloverKwh(1_000_000).build();
    List<TelemetryPoint> points =
        List.of(
            meter(0, 999_990.0),
            meter(10, 999_995.5), // + 5.5
            meter(20, 2.5), // wrapped at 1,000,000: + (1,000,000 - 999,995.5) + 2.5 = 7.0
            meter(30, 4.0), // + 1.5
            meter(40, 0.5), // 4.0 is far below the top 10%: a reset, + 0.5
            t.at("line-1", "press-1", "energy_kwh", 45, PointValue.of(900.0), Quality.BAD),
            meter(50, 0.75)); // + 0.25
    EnergyRow row = rows(params, points).get(0);
    assertThat(row.energyKwh()).isCloseTo(5.5 + 7.0 + 1.5 + 0.5 + 0.25, within(EPS));
    assertThat(row.readings()).isEqualTo(6);
    assertThat(row.meterRollovers()).isEqualTo(1);
    assertThat(row.meterResets()).isEqualTo(1);
    assertThat(row.source()).isEqualTo("METER");
    assertThat(row.windowStartMicros()).isEqualTo(t.micros(0));
    assertThat(row.windowEndMicros()).isEqualTo(t.micros(60));

    // Without a rollover value the same drop is a reset: + 2.5 instead of + 7.0.
    EnergyRow noRollover = rows(EnergyParams.DEFAULTS, points).get(0);
    assertThat(noRollover.energyKwh()).isCloseTo(5.5 + 2.5 + 1.5 + 0.5 + 0.25, within(EPS));
    assertThat(noRollover.meterResets()).isEqualTo(2);
    assertThat(noRollover.meterRollovers()).isZero();
  }

  @Test
  void sameTimestampCountsOnceWithTheHigherValue() {
    EnergyRow row =
        rows(EnergyParams.DEFAULTS, List.of(meter(0, 10), meter(5, 11), meter(5, 12), meter(5, 9)))
            .get(0);
    assertThat(row.energyKwh()).isCloseTo(2.0, within(EPS));
    assertThat(row.readings()).isEqualTo(2);
    assertThat(row.meterResets()).isZero();
  }

  @Test
  void integratesPowerAndCountsGapsWhereThereIsNoMeter() {
    EnergyParams params = EnergyParams.builder().maxPowerGap(Duration.ofSeconds(60)).build();
    List<EnergyRow> rows =
        rows(
            params,
            List.of(
                power(0, 10),
                power(30, 20), // (10 + 20) / 2 kW × 30 s = 0.125 kWh
                power(60, 20), // 20 kW × 30 s = 1/6 kWh, in the window of 60 s
                power(200, 40), // 140 s after the last sample: a gap, not integrated
                power(210, 40), // 40 kW × 10 s = 1/9 kWh
                power(210, 99))); // same timestamp again: ignored
    assertThat(rows)
        .extracting(EnergyRow::windowStartMicros)
        .containsExactly(t.micros(0), t.micros(60), t.micros(180));
    assertThat(rows).allSatisfy(r -> assertThat(r.source()).isEqualTo("POWER"));
    assertThat(rows.get(0).energyKwh()).isCloseTo(0.125, within(EPS));
    assertThat(rows.get(0).powerReadings()).isEqualTo(2);
    assertThat(rows.get(1).energyKwh()).isCloseTo(1.0 / 6, within(EPS));
    assertThat(rows.get(2).energyKwh()).isCloseTo(1.0 / 9, within(EPS));
    assertThat(rows.get(2).powerGaps()).isEqualTo(1);
    assertThat(rows.get(2).powerReadings()).isEqualTo(2);
    assertThat(rows.get(2).readings()).isZero();

    // With a meter too, AUTO takes the meter; METER ignores power; POWER ignores the meter.
    List<TelemetryPoint> both = List.of(power(0, 10), meter(0, 5), power(30, 20), meter(30, 5.2));
    assertThat(rows(params, both).get(0).energyKwh()).isCloseTo(0.2, within(EPS));
    EnergyParams powerOnly = params.toBuilder().source(EnergySource.POWER).build();
    assertThat(rows(powerOnly, both).get(0).energyKwh()).isCloseTo(0.125, within(EPS));
    EnergyParams meterOnly = params.toBuilder().source(EnergySource.METER).build();
    assertThat(rows(meterOnly, List.of(power(0, 10), power(30, 20)))).isEmpty();
  }

  @Test
  void splitsIdleAndProducingEnergyByTheStateInEachInterval() {
    List<EnergyRow> rows =
        rows(
            EnergyParams.DEFAULTS,
            List.of(
                state(0, "RUNNING"),
                meter(0, 100),
                state(45, "IDLE"),
                // 3 kWh over [0, 60): 45 s running, 15 s idle
                meter(60, 103),
                // 1 kWh over [60, 90), idle all along
                meter(90, 104),
                state(100, "DOWN"), // not a run state: idle too
                state(110, "RUNNING"),
                // 2 kWh over [90, 130): 20 s idle, 20 s running
                meter(130, 106)));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).energyKwh()).isZero();
    assertThat(rows.get(0).producingKwh()).as("nothing split yet").isNaN();
    EnergyRow second = rows.get(1);
    assertThat(second.energyKwh()).isCloseTo(4.0, within(EPS));
    assertThat(second.producingKwh()).isCloseTo(3.0 * 45 / 60, within(EPS));
    assertThat(second.idleKwh()).isCloseTo(3.0 * 15 / 60 + 1.0, within(EPS));
    EnergyRow third = rows.get(2);
    assertThat(third.producingKwh()).isCloseTo(1.0, within(EPS));
    assertThat(third.idleKwh()).isCloseTo(1.0, within(EPS));

    // Energy before any state is known is in neither part.
    EnergyRow unknownFirst =
        rows(EnergyParams.DEFAULTS, List.of(meter(0, 0), state(30, "RUNNING"), meter(40, 4)))
            .get(0);
    assertThat(unknownFirst.producingKwh()).isCloseTo(1.0, within(EPS));
    assertThat(unknownFirst.idleKwh()).isZero();
  }

  @Test
  void energyPerGoodPartAndCo2e() {
    EnergyParams params = EnergyParams.builder().emissionFactorKgPerKwh(0.5).build();
    List<EnergyRow> rows =
        rows(
            params,
            List.of(
                meter(0, 100),
                good(0, 50),
                good(30, 52), // + 2 in minute 0
                meter(60, 103), // 3 kWh in minute 1
                good(70, 56), // + 4 in minute 1
                good(80, 2), // counter reset: + 2
                meter(90, 104))); // 1 kWh more in minute 1
    assertThat(rows.get(0).goodParts()).isEqualTo(2);
    assertThat(rows.get(0).kwhPerGoodPart()).isZero();
    EnergyRow m1 = rows.get(1);
    assertThat(m1.energyKwh()).isCloseTo(4.0, within(EPS));
    assertThat(m1.goodParts()).isEqualTo(6);
    assertThat(m1.kwhPerGoodPart()).isCloseTo(4.0 / 6, within(EPS));
    assertThat(m1.co2eKg()).isCloseTo(2.0, within(EPS));
    assertThat(rows(EnergyParams.DEFAULTS, List.of(meter(0, 1), meter(5, 2))).get(0).co2eKg())
        .as("no emission factor")
        .isNaN();
  }

  @Test
  void deviationFromAConfiguredBaseline() {
    EnergyParams params = EnergyParams.builder().baselineKwhPerHour(120).build(); // 2 kWh a minute
    List<EnergyRow> rows = rows(params, List.of(meter(0, 0), meter(30, 1), meter(70, 5)));
    assertThat(rows.get(0).baselineKwh()).isCloseTo(2.0, within(EPS));
    assertThat(rows.get(0).deviationKwh()).isCloseTo(-1.0, within(EPS));
    assertThat(rows.get(0).deviationPct()).isCloseTo(-50.0, within(EPS));
    assertThat(rows.get(1).deviationKwh()).isCloseTo(2.0, within(EPS));
    assertThat(rows.get(1).deviationPct()).isCloseTo(100.0, within(EPS));
  }

  @Test
  void deviationFromABaselineLearnedOverTheLastWindows() {
    EnergyParams params = EnergyParams.builder().baselineWindows(2).build();
    // Minutes of 1, 2, 4 and 3 kWh.
    List<EnergyRow> rows =
        rows(
            params,
            List.of(meter(0, 0), meter(30, 1), meter(90, 3), meter(150, 7), meter(210, 10)));
    assertThat(rows).extracting(EnergyRow::energyKwh).containsExactly(1.0, 2.0, 4.0, 3.0);
    assertThat(rows.get(0).baselineKwh()).as("no history").isNaN();
    assertThat(rows.get(1).baselineKwh()).as("one window is not enough").isNaN();
    assertThat(rows.get(1).deviationKwh()).isNaN();
    assertThat(rows.get(2).baselineKwh()).isCloseTo((1.0 + 2.0) / 2, within(EPS));
    assertThat(rows.get(2).deviationKwh()).isCloseTo(2.5, within(EPS));
    assertThat(rows.get(2).deviationPct()).isCloseTo(100 * 2.5 / 1.5, within(EPS));
    assertThat(rows.get(3).baselineKwh()).isCloseTo((2.0 + 4.0) / 2, within(EPS));
    assertThat(rows.get(3).deviationKwh()).isCloseTo(0.0, within(EPS));
  }

  @Test
  void aDeviceWithoutAnEnergySourceHasNoRows() {
    assertThat(rows(EnergyParams.DEFAULTS, List.of(state(0, "RUNNING"), good(10, 5)))).isEmpty();
  }

  @Test
  void paramsRefuseBadValuesNamingTheKey() {
    assertThatThrownBy(() -> EnergyParams.builder().meterRolloverKwh(-1).build())
        .hasMessageContaining("Invalid value -1.0 for `meterRolloverKwh`");
    assertThatThrownBy(() -> EnergyParams.builder().maxPowerGap(Duration.ZERO).build())
        .hasMessageContaining("for `maxPowerGap`: expected a positive duration");
    assertThatThrownBy(() -> EnergyParams.builder().emissionFactorKgPerKwh(-0.1).build())
        .hasMessageContaining("`emissionFactorKgPerKwh`");
    assertThatThrownBy(() -> EnergyParams.builder().baselineWindows(0).build())
        .hasMessageContaining("Invalid value 0 for `baselineWindows`: expected 1 to 10080");
    assertThatThrownBy(() -> EnergyParams.builder().meterTag(" ").build())
        .hasMessage("Missing value for `meterTag`");
    assertThatThrownBy(() -> EnergyParams.builder().runStates(java.util.Set.of()).build())
        .hasMessageContaining("`runStates`");
  }
}
