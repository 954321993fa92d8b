package io.ironlake.jobs.quality;

import static io.ironlake.jobs.quality.ShiftCalendarTest.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OeeTest {
  private static final long MINUTE = 60_000_000L;

  /**
   * The textbook shift (Vorne, oee.com): 8 h, two 15-minute breaks and a 30-minute meal (planned
   * production time 420 min), 47 min down, ideal rate 60 parts/min, 19,271 parts of which 423
   * rejects.
   */
  static final ShiftCalendar CALENDAR =
      ShiftCalendar.DEFAULT.withPlannedStops(
          List.of(
              new PlannedStop(LocalTime.of(9, 0), Duration.ofMinutes(15)),
              new PlannedStop(LocalTime.of(10, 30), Duration.ofMinutes(30)),
              new PlannedStop(LocalTime.of(12, 0), Duration.ofMinutes(15))));

  static final OeeParams PARAMS =
      new OeeParams(
          "state",
          "good_count",
          "total_count",
          Set.of("RUNNING"),
          Set.of("IDLE"),
          Set.of("PLANNED"),
          Duration.ofSeconds(1),
          CALENDAR,
          Duration.ofHours(8));

  @Test
  void formulaForAKnownShift() {
    // Run time = 420 - 47 = 373 min; ideal work = 19,271 parts x 1 s
    Oee oee = Oee.of(373 * 60, 420 * 60, 19_271, 18_848, 19_271);
    assertThat(oee.availability()).isCloseTo(373.0 / 420, within(1e-12)); // 0.888095
    assertThat(oee.performance()).isCloseTo(19_271.0 / (373 * 60), within(1e-12)); // 0.861081
    assertThat(oee.quality()).isCloseTo(18_848.0 / 19_271, within(1e-12)); // 0.978050
    assertThat(oee.oee()).isCloseTo(18_848.0 / (420 * 60), within(1e-12)); // 0.747937
    assertThat(oee.oee())
        .isCloseTo(oee.availability() * oee.performance() * oee.quality(), within(1e-12));
  }

  @Test
  void knownShiftFromStateSamplesAndCounters() {
    OeeTracker t = new OeeTracker(PARAMS, OeeState.initial());
    t.state(at("06:00"), "RUNNING");
    t.totalCount(at("06:00"), 1_000);
    t.goodCount(at("06:00"), 900);
    t.state(at("07:00"), "DOWN"); // 47 min unplanned
    t.state(at("07:47"), "RUNNING");
    t.state(at("09:00"), "IDLE"); // break: planned
    t.state(at("09:15"), "RUNNING");
    t.state(at("10:30"), "IDLE"); // meal: planned
    t.state(at("11:00"), "RUNNING");
    t.state(at("12:00"), "IDLE"); // break: planned
    t.state(at("12:15"), "RUNNING");
    t.totalCount(at("13:59"), 1_000 + 19_271);
    t.goodCount(at("13:59"), 900 + 18_848);
    assertThat(t.drainClosed()).isEmpty();
    t.advanceTo(at("14:00"));

    List<ShiftTotals> closed = t.drainClosed();
    assertThat(closed).hasSize(1);
    ShiftTotals s = closed.get(0);
    assertThat(s.shift()).isEqualTo(new Shift("A", at("06:00"), at("14:00")));
    assertThat(s.runMicros()).isEqualTo(373 * MINUTE);
    assertThat(s.downMicros()).isEqualTo(47 * MINUTE);
    assertThat(s.idleMicros()).isZero();
    assertThat(s.plannedMicros()).isEqualTo(60 * MINUTE);
    assertThat(s.total()).isEqualTo(19_271);
    assertThat(s.good()).isEqualTo(18_848);
    Oee oee = Oee.of(s, PARAMS.idealCycleSeconds());
    assertThat(oee.availability()).isCloseTo(0.888095, within(1e-6));
    assertThat(oee.performance()).isCloseTo(0.861081, within(1e-6));
    assertThat(oee.quality()).isCloseTo(0.978050, within(1e-6));
    assertThat(oee.oee()).isCloseTo(0.747937, within(1e-6));
  }

  @Test
  void timeIsSplitAtShiftEndsAndTheStateCarriesOver() {
    OeeTracker t = new OeeTracker(PARAMS, OeeState.initial());
    t.state(at("13:30"), "RUNNING");
    t.state(at("13:50"), "IDLE");
    t.state(at("14:20"), "RUNNING");
    t.advanceTo(at("22:00"));
    List<ShiftTotals> closed = t.drainClosed();
    assertThat(closed).hasSize(2);
    assertThat(closed.get(0).shift().name()).isEqualTo("A");
    assertThat(closed.get(0).runMicros()).isEqualTo(20 * MINUTE);
    assertThat(closed.get(0).idleMicros()).isEqualTo(10 * MINUTE);
    assertThat(closed.get(1).shift().name()).isEqualTo("B");
    assertThat(closed.get(1).idleMicros()).isEqualTo(20 * MINUTE);
    assertThat(closed.get(1).runMicros()).isEqualTo((7 * 60 + 40) * MINUTE);
  }

  @Test
  void plannedStatesRunningDuringBreaksCounterResetsAndGaps() {
    OeeParams params = PARAMS.withShifts(CALENDAR).withIdealCycleTime(null);
    OeeTracker t = new OeeTracker(params, OeeState.initial());
    t.state(at("08:00"), "PLANNED"); // planned maintenance
    t.state(at("08:30"), "RUNNING");
    t.totalCount(at("08:30"), 500);
    t.totalCount(at("09:00"), 530);
    t.totalCount(at("09:10"), 4); // the counter was reset: 4 parts since
    t.state(at("09:30"), "SETUP"); // unknown states count as down
    t.state(at("09:40"), "RUNNING");
    // Running through the 09:00 break counts as run. Nothing comes after 09:40: the state is
    // valid for 8 h, so running continues to the shift end.
    t.advanceTo(at("14:00"));
    ShiftTotals s = t.drainClosed().get(0);
    assertThat(s.plannedMicros()).isEqualTo(30 * MINUTE);
    assertThat(s.downMicros()).isEqualTo(10 * MINUTE);
    assertThat(s.runMicros()).isEqualTo((60 + 4 * 60 + 20) * MINUTE);
    assertThat(s.total()).isEqualTo(30 + 4);
    Oee oee = Oee.of(s, params.idealCycleSeconds());
    assertThat(oee.performance()).isNaN();
    assertThat(oee.oee()).isNaN();
    assertThat(oee.quality()).isCloseTo(0.0, within(1e-12)); // no good count reported

    OeeParams shortGap =
        new OeeParams(
            "state",
            "good_count",
            "total_count",
            Set.of("RUNNING"),
            Set.of("IDLE"),
            Set.of(),
            null,
            CALENDAR,
            Duration.ofMinutes(5));
    OeeTracker g = new OeeTracker(shortGap, OeeState.initial());
    g.state(at("07:00"), "RUNNING");
    g.state(at("07:01"), "RUNNING");
    g.state(at("08:00"), "IDLE"); // 07:01 was valid for 5 min only
    g.advanceTo(at("08:02"));
    g.advanceTo(at("14:00"));
    ShiftTotals gs = g.drainClosed().get(0);
    assertThat(gs.runMicros()).isEqualTo(6 * MINUTE);
    assertThat(gs.idleMicros()).isEqualTo(5 * MINUTE);
  }

  @Test
  void snapshotsResumeWhereTheyLeftOff() {
    OeeTracker first = new OeeTracker(PARAMS, OeeState.initial());
    first.state(at("06:00"), "RUNNING");
    first.totalCount(at("06:00"), 10);
    first.totalCount(at("07:00"), 70);
    OeeTracker second = new OeeTracker(PARAMS, first.snapshot());
    second.state(at("08:00"), "DOWN");
    second.advanceTo(at("14:00"));
    ShiftTotals s = second.drainClosed().get(0);
    assertThat(s.runMicros()).isEqualTo(120 * MINUTE);
    // 08:00 - 14:00 down, minus the 60 min of planned stops in it
    assertThat(s.downMicros()).isEqualTo(300 * MINUTE);
    assertThat(s.plannedMicros()).isEqualTo(60 * MINUTE);
    assertThat(s.total()).isEqualTo(60);
    assertThat(second.openShiftEnd()).isEqualTo(at("22:00")); // DOWN is still valid after 14:00
  }

  private static long at(String hhmm) {
    return micros("2025-03-04T" + hhmm + ":00Z");
  }
}
