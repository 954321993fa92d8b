package io.ironlake.collector.internal;

import java.time.Duration;

/** Exponential back-off for reconnect loops: doubles from {@code initial} up to {@code max}. */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration current;

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.current = initial;
  }

  /** The next delay; each call doubles the following one, up to the maximum. */
  public synchronized Duration next() {
    Duration d = current;
    Duration doubled = current.multipliedBy(2);
    current = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  /** Starts over from the initial delay, after a success. */
  public synchronized void reset() {
    current = initial;
  }
}
