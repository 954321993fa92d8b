package io.ironlake.jobs.quality;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A site's daily shift pattern: shifts start at the given local times and each runs until the next
 * one starts (the last until the first of the next day); planned stops repeat daily. Shifts are
 * named A, B, C, ... in start-time order.
 *
 * @param zone the site's time zone
 * @param starts local start times of the shifts, strictly increasing, at least one
 * @param plannedStops daily planned stops (breaks), not overlapping each other
 */
public record ShiftCalendar(ZoneId zone, List<LocalTime> starts, List<PlannedStop> plannedStops)
    implements Serializable {

  /** Three eight-hour shifts from 06:00, 14:00 and 22:00 UTC, no planned stops. */
  public static final ShiftCalendar DEFAULT =
      new ShiftCalendar(
          ZoneOffset.UTC,
          List.of(LocalTime.of(6, 0), LocalTime.of(14, 0), LocalTime.of(22, 0)),
          List.of());

  public ShiftCalendar {
    if (zone == null || starts == null || starts.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid shift calendar: expected a zone and at least one shift start");
    }
    starts = List.copyOf(starts);
    plannedStops = List.copyOf(plannedStops == null ? List.of() : plannedStops);
    for (int i = 1; i < starts.size(); i++) {
      if (!starts.get(i).isAfter(starts.get(i - 1))) {
        throw new IllegalArgumentException(
            "Invalid shift starts " + starts + ": expected strictly increasing times");
      }
    }
  }

  /** Shifts of equal length tiling the day from {@code firstStart}; 24 h must divide evenly. */
  public static ShiftCalendar every(ZoneId zone, LocalTime firstStart, Duration length) {
    long day = Duration.ofDays(1).toNanos();
    if (length.isNegative() || length.isZero() || day % length.toNanos() != 0) {
      throw new IllegalArgumentException(
          "Invalid shift length " + length + ": expected a divisor of 24 h");
    }
    List<LocalTime> starts = new ArrayList<>();
    for (long k = 0; k < day / length.toNanos(); k++) {
      starts.add(firstStart.plus(length.multipliedBy(k)));
    }
    starts.sort(null);
    return new ShiftCalendar(zone, starts, List.of());
  }

  /** This calendar with the given planned stops. */
  public ShiftCalendar withPlannedStops(List<PlannedStop> stops) {
    return new ShiftCalendar(zone, starts, stops);
  }

  /** The shift that contains this instant. */
  public Shift shiftAt(long micros) {
    Instant t = instant(micros);
    LocalDate date = t.atZone(zone).toLocalDate();
    long bestStart = Long.MIN_VALUE;
    LocalDate bestDay = null;
    int bestIndex = -1;
    for (LocalDate day = date.minusDays(1); !day.isAfter(date); day = day.plusDays(1)) {
      for (int i = 0; i < starts.size(); i++) {
        long start = micros(ZonedDateTime.of(day, starts.get(i), zone).toInstant());
        if (start <= micros && start > bestStart) {
          bestStart = start;
          bestDay = day;
          bestIndex = i;
        }
      }
    }
    LocalDate endDay = bestIndex + 1 < starts.size() ? bestDay : bestDay.plusDays(1);
    LocalTime endTime = starts.get((bestIndex + 1) % starts.size());
    long end = micros(ZonedDateTime.of(endDay, endTime, zone).toInstant());
    return new Shift(String.valueOf((char) ('A' + bestIndex)), bestStart, end);
  }

  /** Microseconds of planned stops within {@code [from, to)}. */
  public long plannedMicros(long from, long to) {
    if (plannedStops.isEmpty() || to <= from) {
      return 0;
    }
    long total = 0;
    LocalDate first = instant(from).atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = instant(to).atZone(zone).toLocalDate();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      for (PlannedStop stop : plannedStops) {
        ZonedDateTime start = ZonedDateTime.of(day, stop.start(), zone);
        long a = Math.max(from, micros(start.toInstant()));
        long b = Math.min(to, micros(start.plus(stop.length()).toInstant()));
        if (b > a) {
          total += b - a;
        }
      }
    }
    return total;
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
