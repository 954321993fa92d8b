package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.TelemetryPoint;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops points whose {@code (collector_id, source, seq)} was already seen within the TTL. Runs on a
 * stream keyed by {@link #KEY}; the TTL is in processing time (Flink's only kind), counted from the
 * first sighting.
 */
public final class DedupFunction
    extends KeyedProcessFunction<String, TelemetryPoint, TelemetryPoint> {
  private static final long serialVersionUID = 1L;

  /** Name of the counter of dropped duplicates. */
  public static final String DUPLICATES_METRIC = "duplicatesDropped";

  /** The dedup key: collector id, source and seq, separated by NUL (which no id contains). */
  public static final KeySelector<TelemetryPoint, String> KEY =
      p -> p.collectorId() + '\u0000' + p.source() + '\u0000' + p.seq();

  private final Duration ttl;
  private transient ValueState<Boolean> seen;
  private transient Counter duplicates;

  /** Remembers each key for {@code ttl}. */
  public DedupFunction(Duration ttl) {
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(ttl)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .build());
    seen = getRuntimeContext().getState(descriptor);
    duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES_METRIC);
  }

  @Override
  public void processElement(TelemetryPoint point, Context ctx, Collector<TelemetryPoint> out)
      throws Exception {
    if (seen.value() != null) {
      duplicates.inc();
      return;
    }
    seen.update(Boolean.TRUE);
    out.collect(point);
  }
}
