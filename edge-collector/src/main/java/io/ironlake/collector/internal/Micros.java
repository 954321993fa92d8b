package io.ironlake.collector.internal;

import java.time.Clock;
import java.time.Instant;

/** Microseconds since the epoch, the unit of every timestamp in a telemetry point. */
public final class Micros {
  private Micros() {}

  public static long of(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static long now(Clock clock) {
    return of(clock.instant());
  }
}
