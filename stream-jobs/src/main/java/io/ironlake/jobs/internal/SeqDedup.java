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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedup on {@code (collector_id, source, seq)} of a function keyed by the device path ({@link
 * DedupFunction#KEY}): per device and {@code (collector_id, source)} a {@link SeqWindow} of the
 * last {@code window} seqs of that source (a bit each), in the keyed state {@code seq-windows}. A
 * point below the window is kept, counted ({@value DedupFunction#FAR_BEHIND_METRIC}) and logged,
 * and the window restarts at it. A device that sends nothing new for {@code ttl} (processing time)
 * forgets its windows. Used by {@link DedupFunction} and by the routing step that deduplicates
 * before it routes ({@code io.ironlake.jobs.routing.RoutedPoints#deduplicateAndRoute}); both keep
 * the same state, so either restores the other's.
 */
public final class SeqDedup implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SeqDedup.class);

  private final Duration ttl;
  private final int window;
  private transient ValueState<SeqWindows> windows;
  private transient Counter duplicates;
  private transient Counter farBehind;

  /**
   * Remembers the last {@code window} seqs of each source per device, for {@code ttl} after the
   * device's last new point.
   *
   * @throws IllegalArgumentException when {@code window} is not a valid window size
   */
  public SeqDedup(Duration ttl, int window) {
    this.ttl = ttl;
    this.window = SeqWindow.checkSize(window);
  }

  /** Creates the state handle and the counters; from the keyed function's {@code open}. */
  public void open(RuntimeContext context) {
    ValueStateDescriptor<SeqWindows> descriptor =
        new ValueStateDescriptor<>("seq-windows", SeqWindowsSerializer.INSTANCE);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            // On the heap, each access checks one more device for expiry (Flink's default is 5):
            // a plant's devices are still all checked many times a second, at a fifth of the cost.
            .cleanupIncrementally(1, false)
            .build());
    windows = context.getState(descriptor);
    duplicates = context.getMetricGroup().counter(DedupFunction.DUPLICATES_METRIC);
    farBehind = context.getMetricGroup().counter(DedupFunction.FAR_BEHIND_METRIC);
  }

  /**
   * Whether the point of the current key ({@code device}) is new: false for a duplicate (counted);
   * true otherwise, the point's seq then noted.
   */
  public boolean isNew(TelemetryPoint point, String device) throws IOException {
    SeqWindows state = windows.value();
    if (state == null) {
      state = new SeqWindows();
    }
    SeqWindow w = state.window(point.collectorId(), point.source(), window);
    long highest = w.highest();
    return switch (w.offer(point.seq())) {
      case DUPLICATE -> {
        duplicates.inc();
        yield false;
      }
      case NEW -> {
        windows.update(state);
        yield true;
      }
      case FAR_BEHIND -> {
        windows.update(state);
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
}
