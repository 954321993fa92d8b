package io.ironlake.jobs.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagAlarmsTest {
  private static final long SECOND = 1_000_000L;

  @Test
  void highAlarmThroughOnDelayAndDeadband() {
    // H = 80, deadband 2 (clears at 78 or below), on-delay 5 s; one sample per second.
    TagSafetyParams p =
        new TagSafetyParams(
            LimitAlarmParams.builder().high(80).deadband(2).onDelay(Duration.ofSeconds(5)).build(),
            null,
            null);
    double[] values = {79, 81, 82, 79, 81, 82, 83, 84, 85, 81, 79, 78.5, 80.5, 78, 81};
    List<AlarmTransition> t = run(p, values, SECOND);
    // t1-t2 above, t3 back below: within the on-delay, no alarm.
    // t4 above again; t9 is 5 s later and still above: raised there.
    // t10 79, t11 78.5 are below the limit but inside the deadband; t12 80.5 re-crosses: still
    // the same alarm. t13 78 = limit - deadband: cleared. t14 starts a new on-delay.
    assertThat(t)
        .containsExactly(
            new AlarmTransition(AlarmType.H, AlarmState.RAISED, 9 * SECOND, 9 * SECOND, 81, 80),
            new AlarmTransition(AlarmType.H, AlarmState.CLEARED, 13 * SECOND, 9 * SECOND, 78, 80));
  }

  @Test
  void lowAlarmsMirrorHighOnes() {
    TagSafetyParams p =
        new TagSafetyParams(
            LimitAlarmParams.builder()
                .low(20)
                .lowLow(10)
                .deadband(1)
                .onDelay(Duration.ofSeconds(2))
                .build(),
            null,
            null);
    double[] values = {25, 15, 14, 9, 8, 7, 10.5, 11, 20.5, 21};
    List<AlarmTransition> t = run(p, values, SECOND);
    assertThat(t)
        .extracting(a -> a.type() + " " + a.state() + " @" + a.tsMicros() / SECOND)
        .containsExactly(
            "L RAISED @3", // below 20 since t1, 2 s later at t3
            "LL RAISED @5", // below 10 since t3
            "LL CLEARED @7", // 11 >= 10 + 1 (10.5 at t6 is inside the deadband)
            "L CLEARED @9"); // 21 >= 20 + 1
  }

  @Test
  void eachLimitIsItsOwnAlarm() {
    TagSafetyParams p =
        new TagSafetyParams(LimitAlarmParams.builder().high(80).highHigh(90).build(), null, null);
    List<AlarmTransition> t = run(p, new double[] {70, 95, 85, 70}, SECOND);
    assertThat(t)
        .extracting(a -> a.type() + " " + a.state() + " @" + a.tsMicros() / SECOND)
        .containsExactly("HH RAISED @1", "H RAISED @1", "HH CLEARED @2", "H CLEARED @3");
  }

  @Test
  void rateOfChangeBetweenConsecutiveSamples() {
    TagSafetyParams p =
        new TagSafetyParams(null, new RateOfChangeParams(2, 0.5, Duration.ZERO), null);
    long half = SECOND / 2;
    // at 0, 1, 2, 3, 4 s then 4.5 and 5 s
    long[] ts = {0, SECOND, 2 * SECOND, 3 * SECOND, 4 * SECOND, 4 * SECOND + half, 5 * SECOND};
    double[] v = {10, 11, 14, 16, 17, 18, 19.5};
    List<AlarmTransition> t = run(p, ts, v);
    assertThat(t)
        .extracting(a -> a.type() + " " + a.state() + " @" + a.tsMicros())
        .containsExactly(
            "ROC RAISED @" + 2 * SECOND, // 3 per s > 2
            "ROC CLEARED @" + 4 * SECOND, // 1 per s <= 1.5 (2 per s at 3 s is in the deadband)
            "ROC RAISED @" + 5 * SECOND); // 1.5 in 0.5 s = 3 per s (1 in 0.5 s = 2 is not above)
    assertThat(t.get(0).value()).isCloseTo(3.0, within(1e-12));
    assertThat(t.get(0).limit()).isEqualTo(2.0);
  }

  @Test
  void frozenValueAfterAStretchWithinTolerance() {
    TagSafetyParams p =
        new TagSafetyParams(null, null, new FrozenValueParams(Duration.ofSeconds(10), 0.01));
    double[] values = {
      5.00, 5.005, 5.00, 4.995, 5.01, 5.00, 5.00, 5.02, 5.02, 5.02, 5.02, 5.02, 5.02
    };
    List<AlarmTransition> t = run(p, values, 2 * SECOND);
    assertThat(t)
        .extracting(a -> a.type() + " " + a.state() + " @" + a.tsMicros() / SECOND)
        .containsExactly(
            "FROZEN RAISED @10", // within 0.01 of 5.00 from 0 s to 10 s
            "FROZEN CLEARED @14", // 5.02 moved; a new stretch starts at 14 s
            "FROZEN RAISED @24");
  }

  @Test
  void refusesInconsistentParameters() {
    assertThatThrownBy(() -> LimitAlarmParams.builder().high(90).highHigh(80).build())
        .hasMessage("Invalid limits LL=NaN L=NaN H=90.0 HH=80.0: expected LL < L and H < HH");
    assertThatThrownBy(() -> LimitAlarmParams.builder().deadband(-1).build())
        .hasMessage("Invalid value -1.0 for `deadband`: expected zero or more");
    assertThatThrownBy(() -> new RateOfChangeParams(0, 0, Duration.ZERO))
        .hasMessage("Invalid value 0.0 for `maxPerSecond`: expected a positive number");
    assertThatThrownBy(() -> new FrozenValueParams(Duration.ZERO, 0))
        .hasMessage("Invalid value PT0S for `after`: expected a positive duration");
  }

  private static List<AlarmTransition> run(TagSafetyParams p, double[] values, long step) {
    long[] ts = new long[values.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * step;
    }
    return run(p, ts, values);
  }

  private static List<AlarmTransition> run(TagSafetyParams p, long[] ts, double[] values) {
    TagAlarmState s = TagAlarmState.initial();
    List<AlarmTransition> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      TagAlarms.Result r = TagAlarms.onSample(p, s, ts[i], values[i]);
      out.addAll(r.transitions());
      s = r.next();
    }
    return out;
  }
}
