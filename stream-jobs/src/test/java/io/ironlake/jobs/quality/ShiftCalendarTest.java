package io.ironlake.jobs.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShiftCalendarTest {
  @Test
  void defaultThreeShiftsOfEightHours() {
    ShiftCalendar c = ShiftCalendar.DEFAULT;
    assertThat(c.shiftAt(micros("2025-03-04T06:00:00Z")))
        .isEqualTo(new Shift("A", micros("2025-03-04T06:00:00Z"), micros("2025-03-04T14:00:00Z")));
    assertThat(c.shiftAt(micros("2025-03-04T13:59:59.999999Z")).name()).isEqualTo("A");
    assertThat(c.shiftAt(micros("2025-03-04T14:00:00Z")).name()).isEqualTo("B");
    // The night shift starts the day before and ends at 06:00.
    assertThat(c.shiftAt(micros("2025-03-04T05:00:00Z")))
        .isEqualTo(new Shift("C", micros("2025-03-03T22:00:00Z"), micros("2025-03-04T06:00:00Z")));
  }

  @Test
  void shiftsFollowTheLocalClockAcrossDaylightSaving() {
    // Berlin went from 02:00 to 03:00 local on 2025-03-30: the night shift lasts 7 hours.
    ShiftCalendar c =
        ShiftCalendar.every(ZoneId.of("Europe/Berlin"), LocalTime.of(6, 0), Duration.ofHours(8));
    Shift night = c.shiftAt(micros("2025-03-30T01:30:00Z"));
    assertThat(night.name()).isEqualTo("C");
    assertThat(night.startMicros()).isEqualTo(micros("2025-03-29T21:00:00Z")); // 22:00 CET
    assertThat(night.endMicros()).isEqualTo(micros("2025-03-30T04:00:00Z")); // 06:00 CEST
  }

  @Test
  void plannedStopsRepeatDailyAndAreClippedToTheInterval() {
    ShiftCalendar c =
        ShiftCalendar.DEFAULT.withPlannedStops(
            List.of(
                new PlannedStop(LocalTime.of(12, 0), Duration.ofMinutes(30)),
                new PlannedStop(LocalTime.of(23, 50), Duration.ofMinutes(20))));
    long day = micros("2025-03-04T00:00:00Z");
    long minute = 60_000_000L;
    assertThat(c.plannedMicros(day + 11 * 60 * minute, day + 13 * 60 * minute))
        .isEqualTo(30 * minute);
    assertThat(c.plannedMicros(day + 12 * 60 * minute + 10 * minute, day + 13 * 60 * minute))
        .isEqualTo(20 * minute);
    // 23:50 - 00:10 across midnight, and the previous day's one before 00:10
    assertThat(c.plannedMicros(day - 60 * minute, day + 60 * minute)).isEqualTo(20 * minute);
    assertThat(c.plannedMicros(day, day + 5 * minute)).isEqualTo(5 * minute);
    // Two days: two lunches and the late stops that fall inside.
    assertThat(c.plannedMicros(day, day + 48 * 60 * minute))
        .isEqualTo((10 + 30 + 20 + 30 + 10) * minute);
  }

  @Test
  void refusesBadCalendars() {
    assertThatThrownBy(
            () -> ShiftCalendar.every(ZoneId.of("UTC"), LocalTime.MIDNIGHT, Duration.ofHours(7)))
        .hasMessage("Invalid shift length PT7H: expected a divisor of 24 h");
    assertThatThrownBy(
            () ->
                new ShiftCalendar(
                    ZoneId.of("UTC"), List.of(LocalTime.of(14, 0), LocalTime.of(6, 0)), List.of()))
        .hasMessage("Invalid shift starts [14:00, 06:00]: expected strictly increasing times");
  }

  static long micros(String instant) {
    Instant t = Instant.parse(instant);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
