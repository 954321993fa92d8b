package io.ironlake.jobs.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.GatedPoints;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.quality.ShiftCalendar;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The energy operators on crafted points of one line on a MiniCluster: minute rows of a meter and
 * of a power-only device, shift totals per device and line, 15-minute demand and the daily peak.
 */
class EnergyIndicatorsTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** 15:59 in Shanghai. */
  private static final Instant T0 = Instant.parse("2025-03-04T07:59:00Z");

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final double EPS = 1e-9;

  @Test
  void minuteShiftDemandAndPeakRowsOfALine() throws Exception {
    // The site: hourly shifts in Shanghai, 0.5 kg CO2e per kWh; press m1 has a configured
    // baseline of 60 kWh/h (1 kWh a minute).
    EnergyParams site =
        EnergyParams.builder()
            .emissionFactorKgPerKwh(0.5)
            .shifts(ShiftCalendar.every(SHANGHAI, LocalTime.MIDNIGHT, Duration.ofHours(1)))
            .build();
    RuleCatalog catalog =
        StaticRuleCatalog.builder()
            .energy("plant-sh", site)
            .energy(
                "plant-sh/press-shop/line-1/m1", site.toBuilder().baselineKwhPerHour(60).build())
            .build();
    TestPoints t = new TestPoints("plant-sh", "press-shop", T0);
    List<TelemetryPoint> points = new ArrayList<>();
    // m1, a metered press (seconds after 07:59:00 UTC).
    points.add(t.at("line-1", "m1", "state", 0, PointValue.of("RUNNING")));
    points.add(t.at("line-1", "m1", "energy_kwh", 0, PointValue.of(100.0)));
    points.add(t.at("line-1", "m1", "good_count", 0, PointValue.of(10L)));
    // m2, power only: 12 kW for 30 s = 0.1 kWh in the 08:00 minute ...
    points.add(t.at("line-1", "m2", "power_kw", 60, PointValue.of(12.0)));
    points.add(t.at("line-1", "m2", "power_kw", 90, PointValue.of(12.0)));
    // m1: 1 kWh over 07:59:00-08:00:30, running all along.
    points.add(t.at("line-1", "m1", "energy_kwh", 90, PointValue.of(101.0)));
    // ... and 12 kW for 30 s = 0.1 kWh in the 08:01 minute.
    points.add(t.at("line-1", "m2", "power_kw", 120, PointValue.of(12.0)));
    // m1 idle from 08:05:00; 3 kWh over 08:00:30-08:14:00 (810 s, 270 s running); 6 good parts.
    points.add(t.at("line-1", "m1", "state", 360, PointValue.of("IDLE")));
    points.add(t.at("line-1", "m1", "energy_kwh", 900, PointValue.of(104.0)));
    points.add(t.at("line-1", "m1", "good_count", 900, PointValue.of(16L)));
    // m1: 0.5 kWh idle, at 08:16:00.
    points.add(t.at("line-1", "m1", "energy_kwh", 1020, PointValue.of(104.5)));
    // m2: 19 min without power: a gap; then 24 kW for 30 s = 0.2 kWh at 08:20.
    points.add(t.at("line-1", "m2", "power_kw", 1260, PointValue.of(24.0)));
    points.add(t.at("line-1", "m2", "power_kw", 1290, PointValue.of(24.0)));
    // Late (sent once the 08:17 row of m1 shows the watermark past it): on the side output, in
    // no row.
    TelemetryPoint late = t.at("line-1", "m1", "energy_kwh", 180, PointValue.of(500.0));
    GatedPoints gated = GatedPoints.of(points, List.of(late));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<TelemetryPoint> stream = gated.stream(env, 5_000);
    SingleOutputStreamOperator<EnergyRow> minutes = EnergyJob.energyRows(stream, catalog);
    SingleOutputStreamOperator<EnergyDemandRow> demand = EnergyJob.demandRows(minutes, catalog);
    CloseableIterator<EnergyRow> minuteIt = minutes.collectAsync();
    CloseableIterator<TelemetryPoint> lateIt =
        minutes.getSideOutput(EnergyFunction.LATE_READINGS).collectAsync();
    CloseableIterator<EnergyShiftRow> shiftIt =
        EnergyJob.shiftRows(minutes, catalog).collectAsync();
    CloseableIterator<EnergyDemandRow> demandIt = demand.collectAsync();
    CloseableIterator<EnergyPeakRow> peakIt =
        demand.getSideOutput(EnergyDemandFunction.DAILY_PEAKS).collectAsync();
    JobClient job = env.executeAsync("energy-test");
    List<EnergyRow> minuteRows =
        GatedPoints.readUntil(
            minuteIt, r -> r.device().equals("m1") && r.windowStartMicros() == t.micros(1020));
    gated.open();
    job.getJobExecutionResult().get(GatedPoints.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    minuteRows.addAll(GatedPoints.drain(minuteIt));

    List<EnergyRow> rows =
        sorted(minuteRows, Comparator.comparing(EnergyRow::device), EnergyRow::windowStartMicros);
    assertThat(GatedPoints.drain(lateIt)).containsExactly(late);

    // Minute rows: device, window (seconds after T0), kWh, producing, idle, good parts, co2e.
    assertThat(rows)
        .extracting(r -> r.device() + "@" + (r.windowStartMicros() - t.micros(0)) / 1_000_000)
        .containsExactly("m1@0", "m1@60", "m1@900", "m1@1020", "m2@60", "m2@120", "m2@1260");
    EnergyRow m1a = rows.get(0);
    assertThat(m1a.energyKwh()).isZero();
    assertThat(m1a.readings()).isEqualTo(1);
    assertThat(m1a.baselineKwh()).isCloseTo(1.0, within(EPS));
    assertThat(m1a.deviationKwh()).isCloseTo(-1.0, within(EPS));
    EnergyRow m1b = rows.get(1);
    assertThat(m1b.source()).isEqualTo("METER");
    assertThat(m1b.energyKwh()).isCloseTo(1.0, within(EPS));
    assertThat(m1b.producingKwh()).isCloseTo(1.0, within(EPS));
    assertThat(m1b.idleKwh()).isZero();
    assertThat(m1b.co2eKg()).isCloseTo(0.5, within(EPS));
    EnergyRow m1c = rows.get(2);
    assertThat(m1c.energyKwh()).isCloseTo(3.0, within(EPS));
    assertThat(m1c.producingKwh()).isCloseTo(3.0 * 270 / 810, within(EPS));
    assertThat(m1c.idleKwh()).isCloseTo(3.0 * 540 / 810, within(EPS));
    assertThat(m1c.goodParts()).isEqualTo(6);
    assertThat(m1c.kwhPerGoodPart()).isCloseTo(0.5, within(EPS));
    assertThat(m1c.deviationPct()).isCloseTo(200.0, within(EPS));
    EnergyRow m1d = rows.get(3);
    assertThat(m1d.idleKwh()).isCloseTo(0.5, within(EPS));
    assertThat(m1d.producingKwh()).isZero();
    EnergyRow m2a = rows.get(4);
    assertThat(m2a.source()).isEqualTo("POWER");
    assertThat(m2a.energyKwh()).isCloseTo(0.1, within(EPS));
    assertThat(m2a.powerReadings()).isEqualTo(2);
    assertThat(m2a.producingKwh()).as("m2 has no state tag").isNaN();
    assertThat(m2a.baselineKwh()).as("learned, not enough windows yet").isNaN();
    assertThat(rows.get(5).energyKwh()).isCloseTo(0.1, within(EPS));
    EnergyRow m2c = rows.get(6);
    assertThat(m2c.energyKwh()).isCloseTo(0.2, within(EPS));
    assertThat(m2c.powerGaps()).isEqualTo(1);
    assertThat(m2c.co2eKg()).isCloseTo(0.1, within(EPS));

    // Shifts: 15:00-16:00 (P) and 16:00-17:00 (Q) Shanghai time.
    List<EnergyShiftRow> shifts =
        sorted(
            GatedPoints.drain(shiftIt),
            Comparator.comparing((EnergyShiftRow s) -> String.valueOf(s.device())),
            EnergyShiftRow::shiftStartMicros);
    assertThat(shifts)
        .extracting(s -> s.scope() + ":" + s.device() + ":" + s.shift())
        .containsExactly("DEVICE:m1:P", "DEVICE:m1:Q", "DEVICE:m2:Q", "LINE:null:P", "LINE:null:Q");
    EnergyShiftRow m1p = shifts.get(0);
    assertThat(m1p.shiftStartMicros()).isEqualTo(t.micros(-59 * 60));
    assertThat(m1p.shiftEndMicros()).isEqualTo(t.micros(60));
    assertThat(m1p.energyKwh()).isZero();
    assertThat(m1p.minutes()).isEqualTo(1);
    EnergyShiftRow m1q = shifts.get(1);
    assertThat(m1q.energyKwh()).isCloseTo(1.0 + 3.0 + 0.5, within(EPS));
    assertThat(m1q.producingKwh()).isCloseTo(1.0 + 1.0, within(EPS));
    assertThat(m1q.idleKwh()).isCloseTo(2.0 + 0.5, within(EPS));
    assertThat(m1q.goodParts()).isEqualTo(6);
    assertThat(m1q.kwhPerGoodPart()).isCloseTo(4.5 / 6, within(EPS));
    assertThat(m1q.co2eKg()).isCloseTo(2.25, within(EPS));
    assertThat(m1q.baselineKwh()).isCloseTo(3.0, within(EPS));
    assertThat(m1q.deviationKwh()).isCloseTo(1.5, within(EPS));
    assertThat(m1q.deviationPct()).isCloseTo(50.0, within(EPS));
    assertThat(m1q.minutes()).isEqualTo(3);
    EnergyShiftRow m2q = shifts.get(2);
    assertThat(m2q.energyKwh()).isCloseTo(0.4, within(EPS));
    assertThat(m2q.producingKwh()).isNaN();
    assertThat(m2q.baselineKwh()).isNaN();
    EnergyShiftRow lineP = shifts.get(3);
    assertThat(lineP.energyKwh()).isZero();
    assertThat(lineP.devices()).isEqualTo(1);
    EnergyShiftRow lineQ = shifts.get(4);
    assertThat(lineQ.line()).isEqualTo("line-1");
    assertThat(lineQ.energyKwh()).isCloseTo(4.5 + 0.4, within(EPS));
    assertThat(lineQ.producingKwh()).isCloseTo(2.0, within(EPS));
    assertThat(lineQ.idleKwh()).isCloseTo(2.5, within(EPS));
    assertThat(lineQ.goodParts()).isEqualTo(6);
    assertThat(lineQ.kwhPerGoodPart()).isCloseTo(4.9 / 6, within(EPS));
    assertThat(lineQ.co2eKg()).isCloseTo(2.45, within(EPS));
    assertThat(lineQ.baselineKwh()).as("m1's minutes only").isCloseTo(3.0, within(EPS));
    assertThat(lineQ.deviationKwh()).isCloseTo(1.5, within(EPS));
    assertThat(lineQ.minutes()).isEqualTo(6);
    assertThat(lineQ.devices()).isEqualTo(2);

    // 15-minute demand = kWh / 0.25 h.
    List<EnergyDemandRow> demands =
        sorted(
            GatedPoints.drain(demandIt),
            Comparator.comparing((EnergyDemandRow d) -> String.valueOf(d.device())),
            EnergyDemandRow::intervalStartMicros);
    assertThat(demands)
        .extracting(d -> d.device() + "@" + (d.intervalStartMicros() - t.micros(0)) / 1_000_000)
        .containsExactly(
            "m1@-840", "m1@60", "m1@960", "m2@60", "m2@960", "null@-840", "null@60", "null@960");
    double[] kw = {0.0, 16.0, 2.0, 0.8, 0.8, 0.0, 16.8, 2.8};
    for (int i = 0; i < kw.length; i++) {
      assertThat(demands.get(i).demandKw())
          .as("demand %s", demands.get(i))
          .isCloseTo(kw[i], within(EPS));
    }
    assertThat(demands.get(1).energyKwh()).isCloseTo(4.0, within(EPS));
    assertThat(demands.get(1).intervalEndMicros()).isEqualTo(t.micros(60 + 900));
    assertThat(demands.get(6).scope()).isEqualTo("LINE");
    assertThat(demands.get(6).minutes()).isEqualTo(4);

    // The day's peak, 2025-03-04 in Shanghai (from 2025-03-03T16:00Z).
    List<EnergyPeakRow> peaks =
        sorted(
            GatedPoints.drain(peakIt),
            Comparator.comparing((EnergyPeakRow p) -> String.valueOf(p.device())),
            p -> 0L);
    assertThat(peaks)
        .extracting(
            p ->
                p.device()
                    + "@"
                    + (p.peakIntervalStartMicros() - t.micros(0)) / 1_000_000
                    + "/"
                    + p.intervals())
        .containsExactly("m1@60/3", "m2@60/2", "null@60/3");
    assertThat(peaks.get(0).peakDemandKw()).isCloseTo(16.0, within(EPS));
    assertThat(peaks.get(1).peakDemandKw()).as("a tie keeps the first").isCloseTo(0.8, within(EPS));
    assertThat(peaks.get(2).peakDemandKw()).isCloseTo(16.8, within(EPS));
    assertThat(peaks.get(2).scope()).isEqualTo("LINE");
    assertThat(peaks)
        .allSatisfy(
            p -> {
              assertThat(LocalDate.ofEpochDay(p.dayEpochDay())).isEqualTo(LocalDate.of(2025, 3, 4));
              assertThat(p.dayStartMicros())
                  .isEqualTo(Instant.parse("2025-03-03T16:00:00Z").getEpochSecond() * 1_000_000L);
            });
  }

  private static <T> List<T> sorted(
      List<T> rows, Comparator<T> first, java.util.function.ToLongFunction<T> then) {
    List<T> copy = new ArrayList<>(rows);
    copy.sort(first.thenComparingLong(then));
    return copy;
  }
}
