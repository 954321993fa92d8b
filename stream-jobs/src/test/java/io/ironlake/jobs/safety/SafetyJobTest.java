package io.ironlake.jobs.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.GatedPoints;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.late.LatePoint;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The safety operators on crafted points, on one shared MiniCluster. */
class SafetyJobTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Instant T0 = Instant.parse("2025-03-04T08:00:00Z");

  @Test
  void limitAlarmThroughOnDelayAndDeadbandInEventTime() throws Exception {
    TagSafetyParams oven =
        new TagSafetyParams(
            LimitAlarmParams.builder().high(80).deadband(2).onDelay(Duration.ofSeconds(5)).build(),
            null,
            null);
    StaticRuleCatalog catalog = StaticRuleCatalog.builder().safety("temp", oven).build();
    TestPoints t = new TestPoints("plant-sh", "paint", T0);
    double[] values = {79, 81, 82, 79, 81, 82, 83, 84, 85, 81, 79, 78.5, 80.5, 78, 81};
    List<TelemetryPoint> points = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      points.add(t.at("line-1", "oven-1", "temp", i, PointValue.of(values[i])));
      points.add(t.at("line-1", "oven-2", "temp", i, PointValue.of(70.0))); // stays normal
    }
    // Seconds 6 and 5 arrive swapped (within the 3 s bound); second 2 again, 20 s late.
    TelemetryPoint five = points.get(10);
    points.set(10, points.get(12));
    points.set(12, five);
    points.add(t.at("line-1", "oven-1", "temp", 2, PointValue.of(99.0)));
    points.add(t.at("line-1", "oven-1", "temp", 22, PointValue.of(70.0)));
    points.add(t.at("line-1", "oven-1", "temp", 23, PointValue.of(70.0)));
    points.add(t.at("line-1", "oven-1", "temp", 24, PointValue.of(70.0)));
    points.add(t.at("line-1", "oven-1", "temp", 2, PointValue.of(99.0)));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<AlarmEvent> events =
        SafetyJob.alarmEvents(TestPoints.stream(env, points, 3_000), catalog);
    List<AlarmEvent> out = events.executeAndCollect(10);

    assertThat(out)
        .extracting(e -> e.device() + " " + e.type() + " " + e.state() + " @" + e.tsMicros())
        .containsExactly(
            "oven-1 H RAISED @" + t.micros(9), // above since 4 s, on-delay 5 s
            "oven-1 H CLEARED @" + t.micros(13)); // 78 = 80 − deadband 2
    AlarmEvent raised = out.get(0);
    assertThat(raised.alarmId()).isEqualTo("plant-sh/paint/line-1/oven-1/temp/H/" + t.micros(9));
    assertThat(raised.priority()).isEqualTo(Priority.MEDIUM);
    assertThat(raised.value()).isEqualTo(81.0);
    assertThat(raised.limit()).isEqualTo(80.0);
    assertThat(raised.message()).isEqualTo("temp 81.0 above H limit 80.0");
    AlarmEvent cleared = out.get(1);
    assertThat(cleared.alarmId()).isEqualTo(raised.alarmId());
    assertThat(cleared.raisedTsMicros()).isEqualTo(t.micros(9));
    assertThat(cleared.message()).isEqualTo("temp back to 78.0 (H limit 80.0, deadband 2.0)");
  }

  @Test
  void latePointsGoToTheSideOutput() throws Exception {
    StaticRuleCatalog catalog =
        StaticRuleCatalog.builder()
            .safety(
                "temp",
                new TagSafetyParams(LimitAlarmParams.builder().high(80).build(), null, null))
            .build();
    TestPoints t = new TestPoints("plant-sh", "paint", T0);
    // An alarm raised at 5 s and cleared at 10 s: seen once the watermark passed 10 s.
    GatedPoints points =
        GatedPoints.of(
            List.of(
                t.at("line-1", "oven-1", "temp", 0, PointValue.of(70.0)),
                t.at("line-1", "oven-1", "temp", 5, PointValue.of(90.0)),
                t.at("line-1", "oven-1", "temp", 10, PointValue.of(70.0)),
                t.at("line-1", "oven-1", "temp", 20, PointValue.of(70.0))),
            List.of(t.at("line-1", "oven-1", "temp", 1, PointValue.of(99.0)))); // 9 s late
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    LatePoints kept = new LatePoints();
    DataStream<AlarmEvent> events =
        SafetyJob.alarmEvents(points.stream(env, 3_000), LiveRules.fixed(env, catalog), kept);
    CloseableIterator<AlarmEvent> alarms = events.collectAsync();
    CloseableIterator<LatePoint> late = kept.streams().get(0).collectAsync();
    JobClient job = env.executeAsync("late-test");
    List<AlarmEvent> seen = GatedPoints.readUntil(alarms, e -> e.state() == AlarmState.CLEARED);
    points.open();
    job.getJobExecutionResult().get(GatedPoints.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    seen.addAll(GatedPoints.drain(alarms));
    // The 99 came after the watermark passed 10 s: it never counted.
    assertThat(seen)
        .extracting(AlarmEvent::state, AlarmEvent::tsMicros)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlarmState.RAISED, t.micros(5)),
            org.assertj.core.groups.Tuple.tuple(AlarmState.CLEARED, t.micros(10)));
    assertThat(GatedPoints.drain(late))
        .extracting(LatePoint::operator, LatePoint::tsMicros)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tag-alarms", t.micros(1)));
  }

  @Test
  void patternMatchesWithinItsWindowAndJustMissesIt() throws Exception {
    PatternParams overheat =
        new PatternParams(
            "overheat-without-coolant",
            SignalCondition.above("temperature_c", 45),
            SignalCondition.below("coolant_flow_lpm", 2),
            Duration.ofSeconds(30),
            Priority.HIGH,
            "plant-sh/",
            Duration.ofMinutes(10));
    StaticRuleCatalog catalog = StaticRuleCatalog.builder().pattern(overheat).build();
    TestPoints t = new TestPoints("plant-sh", "press", T0);
    List<TelemetryPoint> points = new ArrayList<>();
    // A: hot, then coolant low 29.999 s later: a match.
    points.add(t.at("line-1", "A", "temperature_c", 0, PointValue.of(50.0)));
    points.add(t.at("line-1", "A", "coolant_flow_lpm", 29.999, PointValue.of(1.0)));
    // A again 100 s later: matches, but within the 10 min hold-off: suppressed.
    points.add(t.at("line-1", "A", "temperature_c", 100, PointValue.of(51.0)));
    points.add(t.at("line-1", "A", "coolant_flow_lpm", 110, PointValue.of(1.5)));
    // B: coolant low exactly 30 s after: the window is [t, t + 30 s): just missed.
    points.add(t.at("line-1", "B", "temperature_c", 0, PointValue.of(50.0)));
    points.add(t.at("line-1", "B", "coolant_flow_lpm", 30, PointValue.of(1.0)));
    // C: the other order, 10 s apart: a match.
    points.add(t.at("line-1", "C", "coolant_flow_lpm", 0, PointValue.of(0.5)));
    points.add(t.at("line-1", "C", "temperature_c", 10, PointValue.of(47.0)));
    // D: hot but coolant fine; E: both on different devices of the same line.
    points.add(t.at("line-1", "D", "temperature_c", 0, PointValue.of(50.0)));
    points.add(t.at("line-1", "D", "coolant_flow_lpm", 5, PointValue.of(3.0)));
    points.add(t.at("line-1", "E", "temperature_c", 0, PointValue.of(50.0)));
    points.add(t.at("line-1", "F", "coolant_flow_lpm", 5, PointValue.of(1.0)));
    // G: hot twice, then coolant low: one match, paired with the nearer hot point.
    points.add(t.at("line-1", "G", "temperature_c", 0, PointValue.of(50.0)));
    points.add(t.at("line-1", "G", "temperature_c", 10, PointValue.of(52.0)));
    points.add(t.at("line-1", "G", "coolant_flow_lpm", 20, PointValue.of(1.0)));
    points.sort(Comparator.comparingLong(TelemetryPoint::tsMicros));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    List<AlarmEvent> out =
        SafetyJob.alarmEvents(TestPoints.stream(env, points, 1_000), catalog).executeAndCollect(10);

    assertThat(out)
        .extracting(e -> e.device() + " " + e.type() + " " + e.state() + " @" + e.tsMicros())
        .containsExactlyInAnyOrder(
            "A PATTERN RAISED @" + t.micros(29.999),
            "C PATTERN RAISED @" + t.micros(10),
            "G PATTERN RAISED @" + t.micros(20));
    AlarmEvent a = out.stream().filter(e -> e.device().equals("A")).findFirst().orElseThrow();
    assertThat(a.tag()).isEqualTo("overheat-without-coolant");
    assertThat(a.priority()).isEqualTo(Priority.HIGH);
    assertThat(a.value()).isEqualTo(1.0);
    assertThat(a.limit()).isEqualTo(2.0);
    assertThat(a.message())
        .isEqualTo(
            "overheat-without-coolant: temperature_c > 45.0 (50.0) and coolant_flow_lpm < 2.0"
                + " (1.0) 29999 ms apart, within PT30S");
    assertThat(out.stream().filter(e -> e.device().equals("G")).findFirst().orElseThrow().message())
        .isEqualTo(
            "overheat-without-coolant: temperature_c > 45.0 (52.0) and coolant_flow_lpm < 2.0"
                + " (1.0) 10000 ms apart, within PT30S");
  }

  @Test
  void alarmRatePerLineAndTenMinutesFlagsFloods() throws Exception {
    List<AlarmEvent> events = new ArrayList<>();
    long t0 = T0.getEpochSecond() * 1_000_000L;
    for (int i = 0; i < 12; i++) { // 12 raised on line-1 in 08:00-08:10: a flood (> 10)
      events.add(raised("line-1", "m" + i, t0 + i * 30_000_000L));
      events.add(cleared("line-1", "m" + i, t0 + i * 30_000_000L + 1)); // not counted
    }
    for (int i = 0; i < 10; i++) { // exactly 10 on line-1 in 08:10-08:20: not a flood
      events.add(raised("line-1", "n" + i, t0 + 600_000_000L + i * 1_000_000L));
    }
    events.add(raised("line-2", "m1", t0 + 60_000_000L));
    events.sort(Comparator.comparingLong(AlarmEvent::tsMicros));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<AlarmEvent> stream =
        env.fromData(events, TypeInformation.of(AlarmEvent.class))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<AlarmEvent>forMonotonousTimestamps()
                    .withTimestampAssigner((e, p) -> e.tsMicros() / 1000));
    List<AlarmRateRow> rows =
        AlarmRate.rows(stream, FloodParams.ISA_18_2, "test").executeAndCollect(10);
    long min10 = 600_000_000L;
    assertThat(rows)
        .containsExactlyInAnyOrder(
            new AlarmRateRow("plant-sh", "press", "line-1", t0, t0 + min10, 12, 10, true),
            new AlarmRateRow(
                "plant-sh", "press", "line-1", t0 + min10, t0 + 2 * min10, 10, 10, false),
            new AlarmRateRow("plant-sh", "press", "line-2", t0, t0 + min10, 1, 10, false));
  }

  private static AlarmEvent raised(String line, String device, long ts) {
    return AlarmEvent.of(
        "plant-sh",
        "press",
        line,
        device,
        "temp",
        AlarmType.H,
        Priority.MEDIUM,
        AlarmState.RAISED,
        90,
        80,
        ts,
        ts,
        "hot");
  }

  private static AlarmEvent cleared(String line, String device, long ts) {
    return AlarmEvent.of(
        "plant-sh",
        "press",
        line,
        device,
        "temp",
        AlarmType.H,
        Priority.MEDIUM,
        AlarmState.CLEARED,
        70,
        80,
        ts,
        ts - 1,
        "ok");
  }
}
