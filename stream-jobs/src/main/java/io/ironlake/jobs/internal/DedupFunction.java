package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.TelemetryPoint;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops points whose {@code (collector_id, source, seq)} was already seen ({@link SeqDedup}). Runs
 * on a stream keyed by {@link #KEY}, the device path: a repeated point has its original's device
 * path, the topic is keyed by it (so a device's points arrive in order), and devices spread over
 * the subtasks where a plant's few collectors would not.
 */
public final class DedupFunction
    extends KeyedProcessFunction<String, TelemetryPoint, TelemetryPoint> {
  private static final long serialVersionUID = 3L;

  /** Name of the counter of dropped duplicates. */
  public static final String DUPLICATES_METRIC = "duplicatesDropped";

  /** Name of the counter of points kept although below their window (unknown, so kept). */
  public static final String FAR_BEHIND_METRIC = "dedupFarBehind";

  /** The dedup key: the device path (the window inside it is per collector id and source). */
  public static final KeySelector<TelemetryPoint, String> KEY = TelemetryPoint::devicePath;

  private final SeqDedup dedup;

  /**
   * Remembers the last {@code window} seqs of each source per device, for {@code ttl} after the
   * device's last new point.
   */
  public DedupFunction(Duration ttl, int window) {
    this.dedup = new SeqDedup(ttl, window);
  }

  @Override
  public void open(OpenContext openContext) {
    dedup.open(getRuntimeContext());
  }

  @Override
  public void processElement(TelemetryPoint point, Context ctx, Collector<TelemetryPoint> out)
      throws Exception {
    if (dedup.isNew(point, ctx.getCurrentKey(), ctx.timerService())) {
      out.collect(point);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryPoint> out)
      throws Exception {
    dedup.onTimer(timestamp, ctx.timerService());
  }
}
