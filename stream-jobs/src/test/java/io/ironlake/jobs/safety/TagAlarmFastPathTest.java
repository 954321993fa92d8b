package io.ironlake.jobs.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tag alarms' fast path ({@link TagAlarmFunction#FAST_ALARMS}): limit and rate-of-change events
 * on arrival, before the watermark, the same events as the event-time path for points in order.
 */
class TagAlarmFastPathTest {
  private static final Instant T0 = Instant.parse("2025-03-04T08:00:00Z");
  private final TestPoints t = new TestPoints("plant-sh", "paint", T0);
  private KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, ?, AlarmEvent> harness;

  @BeforeEach
  void open() throws Exception {
    TagSafetyParams oven =
        new TagSafetyParams(
            LimitAlarmParams.builder().high(80).deadband(2).build(),
            new RateOfChangeParams(10, 1, Duration.ZERO),
            new FrozenValueParams(Duration.ofSeconds(3), 0.01));
    StaticRuleCatalog catalog = StaticRuleCatalog.builder().safety("temp", oven).build();
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new TagAlarmFunction(catalog),
            p -> p.devicePath() + '/' + p.tag(),
            Types.STRING,
            LiveRules.STATE);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void limitAndRateOfChangeAlarmsLeaveOnArrivalAndMatchTheEventTimeEvents() throws Exception {
    send(0, 70);
    send(1, 75);
    send(2, 85); // above H 80, and +10 °C in 1 s: ROC limit is 10 per s, not above it
    // Nothing waited for a watermark: the fast path has the H alarm, the event-time path nothing.
    assertThat(fast()).extracting(this::describe).containsExactly("H RAISED @2");
    assertThat(harness.extractOutputValues()).isEmpty();

    send(3, 100); // +15 per s: ROC
    send(4, 77); // back below 80 − deadband 2: H clears; −23 per s: ROC stays raised
    assertThat(fast())
        .extracting(this::describe)
        .containsExactly("H RAISED @2", "ROC RAISED @3", "H CLEARED @4");

    watermark(4_000);
    // The event-time path, once the watermark passed: the same events, field for field.
    assertThat(harness.extractOutputValues()).containsExactlyElementsOf(fast());
    assertThat(fast().get(0).alarmId())
        .isEqualTo("plant-sh/paint/line-1/oven-1/temp/H/" + t.micros(2));
  }

  @Test
  void frozenValuesStayOnTheEventTimePath() throws Exception {
    for (int s = 0; s <= 5; s++) {
      send(s, 50);
    }
    watermark(5_000);

    assertThat(fast()).isEmpty();
    assertThat(harness.extractOutputValues())
        .extracting(this::describe)
        .containsExactly("FROZEN RAISED @3");
  }

  @Test
  void aSampleOutOfOrderIsLeftToTheEventTimePath() throws Exception {
    send(0, 70);
    send(2, 70);
    send(1, 90); // arrives after second 2: the fast path skips it, event time orders it
    send(3, 70);
    assertThat(fast()).isEmpty();

    watermark(3_000);
    assertThat(harness.extractOutputValues())
        .extracting(this::describe)
        .contains("H RAISED @1", "H CLEARED @2");
  }

  /** The watermark at {@code millis} after T0, on both inputs (the rules input has no points). */
  private void watermark(long millis) throws Exception {
    Watermark w = new Watermark(T0.toEpochMilli() + millis);
    harness.processWatermark(w);
    harness.processBroadcastWatermark(w);
  }

  private void send(int second, double value) throws Exception {
    TelemetryPoint p = t.at("line-1", "oven-1", "temp", second, PointValue.of(value));
    harness.processElement(new StreamRecord<>(p, p.tsMicros() / 1000));
  }

  private List<AlarmEvent> fast() {
    return harness.getSideOutput(TagAlarmFunction.FAST_ALARMS) == null
        ? List.of()
        : harness.getSideOutput(TagAlarmFunction.FAST_ALARMS).stream()
            .map(StreamRecord::getValue)
            .toList();
  }

  private String describe(AlarmEvent e) {
    return e.type() + " " + e.state() + " @" + (e.tsMicros() - t.micros(0)) / 1_000_000;
  }
}
