package io.ironlake.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.GatedPoints;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import io.ironlake.jobs.safety.AlarmEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
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

/** The SPC and OEE operators on crafted points, on one shared MiniCluster. */
class QualityJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Instant T0 = Instant.parse("2025-03-04T06:00:00Z");
  private static final double EPS = 1e-9;

  @Test
  void spcChartsSubgroupsAgainstBaselineLimitsWithRulesAndCapability() throws Exception {
    SpcParams params =
        SpcParams.builder()
            .subgroupSize(4)
            .baselineSubgroups(5)
            .capabilitySubgroups(5)
            .specLimits(8, 16)
            .build();
    StaticRuleCatalog catalog = StaticRuleCatalog.builder().spc("bore_mm", params).build();
    TestPoints t = new TestPoints("plant-sh", "machining", T0);
    double[][] subgroups = {
      {10, 12, 11, 13},
      {11, 11, 12, 10},
      {12, 14, 13, 13},
      {10, 13, 12, 11},
      {12, 11, 13, 12},
      {14, 14, 14, 14}, // mean 14 > UCL 13.5496: rule 1
      {12, 11, 12, 13}, // back inside
    };
    List<TelemetryPoint> points = new ArrayList<>();
    int second = 0;
    for (double[] sg : subgroups) {
      for (double v : sg) {
        points.add(t.at("line-1", "lathe-1", "bore_mm", second++, PointValue.of(v)));
      }
      // Ignored: another tag, a BAD value, a string
      points.add(t.at("line-1", "lathe-1", "speed_rpm", second, PointValue.of(900.0)));
      points.add(t.at("line-1", "lathe-1", "bore_mm", second, PointValue.of(99.0), Quality.BAD));
      points.add(t.at("line-1", "lathe-1", "bore_mm", second, PointValue.of("n/a")));
    }
    // Arrives 40 s after its time, once subgroup 5 (ends at 19 s) shows the watermark past it:
    // late.
    GatedPoints gated =
        GatedPoints.of(
            points, List.of(t.at("line-1", "lathe-1", "bore_mm", 2, PointValue.of(12.0))));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    SingleOutputStreamOperator<SpcRow> rows = QualityJob.spcRows(gated.stream(env, 5_000), catalog);
    CloseableIterator<SpcRow> rowIt = rows.collectAsync();
    CloseableIterator<AlarmEvent> eventIt =
        rows.getSideOutput(SpcFunction.RULE_EVENTS).collectAsync();
    CloseableIterator<TelemetryPoint> lateIt =
        rows.getSideOutput(SpcFunction.LATE_POINTS).collectAsync();
    JobClient job = env.executeAsync("spc-test");
    List<SpcRow> spc = GatedPoints.readUntil(rowIt, r -> r.subgroupIndex() == 5);
    gated.open();
    job.getJobExecutionResult().get(GatedPoints.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    spc.addAll(GatedPoints.drain(rowIt));
    List<AlarmEvent> events = GatedPoints.drain(eventIt);
    List<TelemetryPoint> late = GatedPoints.drain(lateIt);

    assertThat(spc).extracting(SpcRow::subgroupIndex).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    // Phase I limits from subgroups 1-5 (worked out in ControlLimitsTest): X̿ 11.8, R̄ 2.4,
    // UCL 11.8 + 0.729·2.4, LCL 11.8 − 0.729·2.4, R chart 0 .. 2.282·2.4.
    for (SpcRow r : spc) {
      assertThat(r.site()).isEqualTo("plant-sh");
      assertThat(r.device()).isEqualTo("lathe-1");
      assertThat(r.characteristic()).isEqualTo("bore_mm");
      assertThat(r.chart()).isEqualTo(ChartType.XBAR_R);
      assertThat(r.n()).isEqualTo(4);
      assertThat(r.centerLine()).isCloseTo(11.8, within(EPS));
      assertThat(r.ucl()).isCloseTo(13.5496, within(EPS));
      assertThat(r.lcl()).isCloseTo(10.0504, within(EPS));
      assertThat(r.dispersionUcl()).isCloseTo(5.4768, within(EPS));
      assertThat(r.limitsSource()).isEqualTo("BASELINE");
      assertThat(r.lsl()).isEqualTo(8.0);
      assertThat(r.usl()).isEqualTo(16.0);
    }
    SpcRow first = spc.get(0);
    assertThat(first.mean()).isCloseTo(11.5, within(EPS));
    assertThat(first.range()).isCloseTo(3, within(EPS));
    assertThat(first.stddev()).isCloseTo(Math.sqrt(5.0 / 3), within(EPS));
    assertThat(first.subgroupStartMicros()).isEqualTo(t.micros(0));
    assertThat(first.subgroupEndMicros()).isEqualTo(t.micros(3));
    // Cp/Cpk over subgroups 1-5 (CapabilityTest): σ̂ = 2.4/2.059
    SpcRow fifth = spc.get(4);
    assertThat(fifth.capabilitySubgroups()).isEqualTo(5);
    assertThat(fifth.cp()).isCloseTo(1.143889, within(1e-6));
    assertThat(fifth.cpk()).isCloseTo(1.086694, within(1e-6));
    assertThat(spc.subList(0, 5)).allSatisfy(r -> assertThat(r.inControl()).isTrue());
    SpcRow sixth = spc.get(5);
    assertThat(sixth.mean()).isCloseTo(14, within(EPS));
    assertThat(sixth.violatedRules()).isEqualTo("1");
    assertThat(sixth.inControl()).isFalse();
    // Capability window: subgroups 2-6, means 11, 13, 11.5, 12, 14 (X̿ 12.3), ranges 2,2,3,2,0
    // (R̄ 1.8): σ̂ = 1.8/2.059, Cp = 8/(6σ̂) = 1.525185, Cpk = (16 − 12.3)/(3σ̂) = 1.410796
    assertThat(sixth.cp()).isCloseTo(8 / (6 * 1.8 / 2.059), within(1e-9));
    assertThat(sixth.cpk()).isCloseTo(3.7 / (3 * 1.8 / 2.059), within(1e-9));
    assertThat(spc.get(6).violatedRules()).isEmpty();
    assertThat(spc.get(6).inControl()).isTrue();

    // Rule 1 started at subgroup 6 (ends at 23 s) and stopped at subgroup 7 (ends at 27 s).
    assertThat(events)
        .extracting(e -> e.type() + " " + e.state() + " " + e.tsMicros() + " " + e.raisedTsMicros())
        .containsExactly(
            "SPC_RULE_1 RAISED " + t.micros(23) + " " + t.micros(23),
            "SPC_RULE_1 CLEARED " + t.micros(27) + " " + t.micros(23));
    AlarmEvent raised = events.get(0);
    assertThat(raised.alarmId())
        .isEqualTo("plant-sh/machining/line-1/lathe-1/bore_mm/SPC_RULE_1/" + t.micros(23));
    assertThat(raised.value()).isEqualTo(14.0);
    assertThat(raised.limit()).isCloseTo(13.5496, within(EPS));
    assertThat(late)
        .singleElement()
        .satisfies(p -> assertThat(p.tsMicros()).isEqualTo(t.micros(2)));
  }

  @Test
  void spcWithConfiguredLimitsChartsEverySubgroupAtOnce() throws Exception {
    ControlLimits limits = ControlLimits.fromProcess(ChartType.XBAR_S, 2, 12.0, 0.01);
    SpcParams params =
        SpcParams.builder()
            .chart(ChartType.XBAR_S)
            .subgroupSize(2)
            .specLimits(11.95, 12.05)
            .configuredLimits(limits)
            .build();
    StaticRuleCatalog catalog =
        StaticRuleCatalog.builder().spc("plant-sh/machining/line-2/m7", "dia", params).build();
    TestPoints t = new TestPoints("plant-sh", "machining", T0);
    List<TelemetryPoint> points =
        List.of(
            t.at("line-2", "m7", "dia", 0, PointValue.of(12.00)),
            t.at("line-2", "m7", "dia", 1, PointValue.of(12.02)),
            t.at("line-2", "m8", "dia", 1, PointValue.of(12.02)), // no rule for m8
            t.at("line-2", "m7", "dia", 2, PointValue.of(11.99)),
            t.at("line-2", "m7", "dia", 3, PointValue.of(11.97)));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    List<SpcRow> spc =
        QualityJob.spcRows(TestPoints.stream(env, points, 0), catalog).executeAndCollect(10);
    assertThat(spc).hasSize(2);
    // X-bar limits 12 ± 3·0.01/√2 = 12 ± 0.0212132
    assertThat(spc)
        .allSatisfy(
            r -> {
              assertThat(r.device()).isEqualTo("m7");
              assertThat(r.limitsSource()).isEqualTo("CONFIGURED");
              assertThat(r.ucl()).isCloseTo(12.0212132, within(1e-7));
            });
    assertThat(spc.get(0).mean()).isCloseTo(12.01, within(EPS));
    // s of {12.00, 12.02} = 0.0141421; Cp over one subgroup = 0.1/(6·s/c4), c4(2) = 0.7979
    assertThat(spc.get(0).stddev()).isCloseTo(0.0141421, within(1e-7));
    assertThat(spc.get(0).cp()).isCloseTo(0.1 / (6 * 0.01414214 / 0.7979), within(1e-6));
    assertThat(spc.get(1).capabilitySubgroups()).isEqualTo(2);
  }

  @Test
  void oeeForAKnownShiftPerDeviceAndLine() throws Exception {
    // OeeTest's textbook shift on m1 (ideal 1 s), and m2 running the whole shift at 2 s ideal.
    OeeParams params =
        new OeeParams(
            "state",
            "good_count",
            "total_count",
            Set.of("RUNNING"),
            Set.of("IDLE"),
            Set.of("PLANNED"),
            null,
            OeeTest.CALENDAR,
            Duration.ofHours(2));
    StaticRuleCatalog catalog =
        StaticRuleCatalog.builder()
            .oee(params)
            .idealCycleTime("plant-sh/assembly/line-1/m1", Duration.ofSeconds(1))
            .idealCycleTime("plant-sh/assembly/line-1/m2", Duration.ofSeconds(2))
            .build();
    TestPoints t = new TestPoints("plant-sh", "assembly", T0);
    List<TelemetryPoint> points = new ArrayList<>();
    String[][] m1 = {
      {"06:00", "RUNNING"}, {"07:00", "DOWN"}, {"07:47", "RUNNING"}, {"09:00", "IDLE"},
      {"09:15", "RUNNING"}, {"10:30", "IDLE"}, {"11:00", "RUNNING"}, {"12:00", "IDLE"},
      {"12:15", "RUNNING"}
    };
    for (String[] s : m1) {
      points.add(t.at("line-1", "m1", "state", minutes(s[0]) * 60, PointValue.of(s[1])));
    }
    points.add(t.at("line-1", "m1", "total_count", 0, PointValue.of(1_000L)));
    points.add(t.at("line-1", "m1", "good_count", 0, PointValue.of(900L)));
    points.add(t.at("line-1", "m1", "total_count", 479 * 60, PointValue.of(1_000L + 19_271)));
    points.add(t.at("line-1", "m1", "good_count", 479 * 60, PointValue.of(900L + 18_848)));
    for (int h = 0; h < 8; h++) { // m2: a state sample every hour, RUNNING through the breaks
      points.add(t.at("line-1", "m2", "state", h * 3600, PointValue.of("RUNNING")));
    }
    points.add(t.at("line-1", "m2", "total_count", 0, PointValue.of(0L)));
    points.add(t.at("line-1", "m2", "good_count", 0, PointValue.of(0L)));
    points.add(t.at("line-1", "m2", "total_count", 479 * 60, PointValue.of(10_000L)));
    points.add(t.at("line-1", "m2", "good_count", 479 * 60, PointValue.of(9_900L)));
    points.sort(Comparator.comparingLong(TelemetryPoint::tsMicros));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<OeeRow> rows = QualityJob.oeeRows(TestPoints.stream(env, points, 1_000), catalog);
    List<OeeRow> all = rows.executeAndCollect(20);
    long shiftA = t.micros(0);
    List<OeeRow> a = all.stream().filter(r -> r.shiftStartMicros() == shiftA).toList();
    assertThat(a).extracting(OeeRow::scope).containsExactlyInAnyOrder("DEVICE", "DEVICE", "LINE");

    OeeRow r1 = device(a, "m1");
    assertThat(r1.shift()).isEqualTo("A");
    assertThat(r1.shiftEndMicros()).isEqualTo(t.micros(8 * 3600));
    assertThat(r1.runSeconds()).isEqualTo(373 * 60.0);
    assertThat(r1.downSeconds()).isEqualTo(47 * 60.0);
    assertThat(r1.plannedSeconds()).isEqualTo(60 * 60.0);
    assertThat(r1.availability()).isCloseTo(373.0 / 420, within(EPS));
    assertThat(r1.performance()).isCloseTo(19_271.0 / (373 * 60), within(EPS));
    assertThat(r1.quality()).isCloseTo(18_848.0 / 19_271, within(EPS));
    assertThat(r1.oee()).isCloseTo(18_848.0 / (420 * 60), within(EPS)); // 0.747937
    assertThat(r1.scrap()).isEqualTo(423);

    OeeRow r2 = device(a, "m2");
    assertThat(r2.runSeconds()).isEqualTo(480 * 60.0);
    assertThat(r2.availability()).isCloseTo(1.0, within(EPS));
    assertThat(r2.performance()).isCloseTo(20_000.0 / 28_800, within(EPS));
    assertThat(r2.quality()).isCloseTo(0.99, within(EPS));

    // Line: Σ run 853 min = 51,180 s of Σ planned production 900 min = 54,000 s;
    // Σ ideal work 19,271 + 2 × 10,000 = 39,271 s; good 28,748 of 29,271.
    OeeRow line = a.stream().filter(r -> r.scope().equals("LINE")).findFirst().orElseThrow();
    assertThat(line.device()).isNull();
    assertThat(line.devices()).isEqualTo(2);
    assertThat(line.availability()).isCloseTo(51_180.0 / 54_000, within(EPS));
    assertThat(line.performance()).isCloseTo(39_271.0 / 51_180, within(EPS));
    assertThat(line.quality()).isCloseTo(28_748.0 / 29_271, within(EPS));
    assertThat(line.oee())
        .isCloseTo(line.availability() * line.performance() * line.quality(), within(EPS));
    assertThat(line.good()).isEqualTo(28_748);

    // After 14:00 no sample came: each machine's last state holds 2 h (maxStateGap) into shift B.
    List<OeeRow> b = all.stream().filter(r -> r.shiftStartMicros() == t.micros(8 * 3600)).toList();
    assertThat(device(b, "m1").runSeconds()).isEqualTo(15 * 60.0); // RUNNING since 12:15
    assertThat(device(b, "m2").runSeconds()).isEqualTo(60 * 60.0); // RUNNING since 13:00
    assertThat(all).hasSize(6);
  }

  private static OeeRow device(List<OeeRow> rows, String device) {
    return rows.stream().filter(r -> device.equals(r.device())).findFirst().orElseThrow();
  }

  private static int minutes(String hhmm) {
    LocalTime time = LocalTime.parse(hhmm);
    return (time.getHour() - 6) * 60 + time.getMinute();
  }
}
