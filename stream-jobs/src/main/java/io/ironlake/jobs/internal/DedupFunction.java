package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.TelemetryPoint;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops points whose {@code (collector_id, source, seq)} was already seen. Runs on a stream keyed
 * by {@link #KEY}, the device path: a repeated point has its original's device path, the topic is
 * keyed by it (so a device's points arrive in order), and devices spread over the subtasks where a
 * plant's few collectors would not. Per device and {@code (collector_id, source)} it keeps a {@link
 * SeqWindow} of the last {@code window} seqs of that source (a bit each); a point below the window
 * is kept, counted ({@value #FAR_BEHIND_METRIC}) and logged, and the window restarts at it. A
 * device that sends nothing for {@code ttl} (processing time) forgets its windows.
 */
public final class DedupFunction
    extends KeyedProcessFunction<String, TelemetryPoint, TelemetryPoint> {
  private static final long serialVersionUID = 2L;
  private static final Logger LOG = LoggerFactory.getLogger(DedupFunction.class);

  /** Name of the counter of dropped duplicates. */
  public static final String DUPLICATES_METRIC = "duplicatesDropped";

  /** Name of the counter of points kept although below their window (unknown, so kept). */
  public static final String FAR_BEHIND_METRIC = "dedupFarBehind";

  /** The dedup key: the device path (the window inside it is per collector id and source). */
  public static final KeySelector<TelemetryPoint, String> KEY = TelemetryPoint::devicePath;

  private final Duration ttl;
  private final int window;
  private transient ValueState<SeqWindows> windows;
  private transient Counter duplicates;
  private transient Counter farBehind;

  /**
   * Remembers the last {@code window} seqs of each source per device, for {@code ttl} after the
   * device's last new point.
   */
  public DedupFunction(Duration ttl, int window) {
    this.ttl = ttl;
    this.window = SeqWindow.checkSize(window);
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<SeqWindows> descriptor =
        new ValueStateDescriptor<>("seq-windows", SeqWindowsSerializer.INSTANCE);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    windows = getRuntimeContext().getState(descriptor);
    duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES_METRIC);
    farBehind = getRuntimeContext().getMetricGroup().counter(FAR_BEHIND_METRIC);
  }

  @Override
  public void processElement(TelemetryPoint point, Context ctx, Collector<TelemetryPoint> out)
      throws Exception {
    SeqWindows state = windows.value();
    if (state == null) {
      state = new SeqWindows();
    }
    SeqWindow w = state.window(point.collectorId(), point.source(), window);
    long highest = w.highest();
    switch (w.offer(point.seq())) {
      case DUPLICATE -> duplicates.inc();
      case NEW -> {
        windows.update(state);
        out.collect(point);
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
              ctx.getCurrentKey(),
              point.seq(),
              highest,
              window,
              n);
        }
        out.collect(point);
      }
    }
  }
}
