package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup on {@code (collector_id, source, seq)} of a function keyed by the device path ({@link
 * DedupFunction#KEY}): per device and {@code (collector_id, source)} a {@link SeqWindow} of the
 * last {@code window} seqs of that source (a bit each), in the keyed state {@value #STATE}. A point
 * below the window is kept, counted ({@value DedupFunction#FAR_BEHIND_METRIC}) and logged, and the
 * window restarts at it. Used by {@link DedupFunction} and by the routing step that deduplicates
 * before it routes ({@code io.ironlake.jobs.routing.RoutedPoints#deduplicateAndRoute}); both keep
 * the same state, so either restores the other's.
 *
 * <p>A device that sends nothing new for {@code ttl} (processing time) forgets its windows: each
 * device has one processing-time timer at a time, set {@code ttl} after a new point when it has
 * none; when it fires, the state goes if nothing new came since, else the timer moves to {@code
 * ttl} after the last new point. So a point costs a clock read and no timer, where Flink's state
 * TTL wrapped every value and, on the heap, scanned the state table on every access. Windows that
 * an earlier build kept under TTL (state {@value #EARLIER_STATE}) are taken over on the device's
 * next point; that state's TTL clears the others.
 */
public final class SeqDedup implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final Logger LOG = LoggerFactory.getLogger(SeqDedup.class);

  /** Name of the keyed state of the windows. */
  static final String STATE = "seq-windows-v2";

  /** Name of the keyed state of the windows in earlier builds (with Flink's state TTL). */
  static final String EARLIER_STATE = "seq-windows";

  private final Duration ttl;
  private final int window;
  private transient ValueState<SeqWindows> windows;
  private transient ValueState<SeqWindows> earlier;
  private transient Counter duplicates;
  private transient Counter farBehind;

  /**
   * Remembers the last {@code window} seqs of each source per device, for {@code ttl} after the
   * device's last new point.
   *
   * @throws IllegalArgumentException when {@code window} is not a valid window size or {@code ttl}
   *     is not positive
   */
  public SeqDedup(Duration ttl, int window) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value " + ttl + " for `dedupTtl`: expected a positive duration");
    }
    this.ttl = ttl;
    this.window = SeqWindow.checkSize(window);
  }

  /** Creates the state handles and the counters; from the keyed function's {@code open}. */
  public void open(RuntimeContext context) {
    windows = context.getState(new ValueStateDescriptor<>(STATE, SeqWindowsSerializer.INSTANCE));
    ValueStateDescriptor<SeqWindows> before =
        new ValueStateDescriptor<>(EARLIER_STATE, SeqWindowsSerializer.INSTANCE);
    // As earlier builds declared it, so their checkpoints restore into it.
    before.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    earlier = context.getState(before);
    duplicates = context.getMetricGroup().counter(DedupFunction.DUPLICATES_METRIC);
    farBehind = context.getMetricGroup().counter(DedupFunction.FAR_BEHIND_METRIC);
  }

  /**
   * Whether the point of the current key ({@code device}) is new: false for a duplicate (counted);
   * true otherwise, the point's seq then noted.
   */
  public boolean isNew(TelemetryPoint point, String device, TimerService timers)
      throws IOException {
    SeqWindows state = windows.value();
    if (state == null) {
      state = takeEarlier(timers);
    }
    SeqWindow w = state.window(point.collectorId(), point.source(), window);
    long highest = w.highest();
    return switch (w.offer(point.seq())) {
      case DUPLICATE -> {
        duplicates.inc();
        yield false;
      }
      case NEW -> {
        noteNew(state, timers);
        yield true;
      }
      case FAR_BEHIND -> {
        noteNew(state, timers);
        farBehind.inc();
        long n = farBehind.getCount();
        if ((n & (n - 1)) == 0) {
          LOG.warn(
              "dedup window restarted, point kept: collectorId={}, source={}, device={}, seq={},"
                  + " highestSeen={}, window={}, farBehindSoFar={}",
              point.collectorId(),
              point.source(),
              device,
              point.seq(),
              highest,
              window,
              n);
        }
        yield true;
      }
    };
  }

  /**
   * From the keyed function's {@code onTimer}: forgets the current device when its expiry timer
   * fires {@code ttl} after its last new point, else moves the timer there. Returns whether the
   * timer was this dedup's (false: another timer of the function).
   */
  public boolean onTimer(long timestamp, TimerService timers) throws IOException {
    SeqWindows state = windows.value();
    if (state == null || state.expiryTimer() != timestamp) {
      return false;
    }
    long due = state.lastNewMillis() + ttl.toMillis();
    if (due <= timestamp) {
      windows.clear();
    } else {
      state.expiryTimer(due);
      timers.registerProcessingTimeTimer(due);
      windows.update(state);
    }
    return true;
  }

  private void noteNew(SeqWindows state, TimerService timers) throws IOException {
    long now = timers.currentProcessingTime();
    state.lastNewMillis(now);
    if (state.expiryTimer() == 0) {
      long due = now + ttl.toMillis();
      state.expiryTimer(due);
      timers.registerProcessingTimeTimer(due);
    }
    windows.update(state);
  }

  /**
   * The windows an earlier build kept for the current device, moved here (with an expiry timer, as
   * if its last new point came now), else none yet.
   */
  private SeqWindows takeEarlier(TimerService timers) throws IOException {
    SeqWindows before = earlier.value();
    if (before == null) {
      return new SeqWindows();
    }
    earlier.clear();
    before.expiryTimer(0);
    noteNew(before, timers);
    return before;
  }
}
