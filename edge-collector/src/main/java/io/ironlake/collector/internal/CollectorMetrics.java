package io.ironlake.collector.internal;

import io.ironlake.collector.CollectorStats;
import java.util.concurrent.atomic.LongAdder;

/** The collector's counters, updated from source and producer threads. */
public final class CollectorMetrics {
  private final LongAdder pointsRead = new LongAdder();
  private final LongAdder pointsSent = new LongAdder();
  private final LongAdder deadLetters = new LongAdder();
  private final LongAdder sendErrors = new LongAdder();

  public void pointsRead(int n) {
    pointsRead.add(n);
  }

  public void pointsSent(long n) {
    pointsSent.add(n);
  }

  public void deadLetter() {
    deadLetters.increment();
  }

  /** Counts a failed send and returns the total so far. */
  public long sendError() {
    sendErrors.increment();
    return sendErrors.sum();
  }

  /** A snapshot of the counters. */
  public CollectorStats snapshot() {
    return new CollectorStats(
        pointsRead.sum(), pointsSent.sum(), deadLetters.sum(), sendErrors.sum());
  }
}
