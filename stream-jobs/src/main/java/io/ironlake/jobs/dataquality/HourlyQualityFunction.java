package io.ironlake.jobs.dataquality;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Data quality of one device and tag (the key) per event-time hour, with the parameters of the
 * rules in effect when the watermark closes the hour ({@link LiveRules}): a change of the expected
 * rate, valid range or frozen limit applies to every hour that closes after it arrives. Points of
 * an hour already closed on arrival go to {@link DataQualityJob#LATE_POINTS}. Hours are tumbling
 * windows aligned to the epoch, as {@code TumblingEventTimeWindows.of(1 h)}.
 */
final class HourlyQualityFunction
    extends KeyedBroadcastProcessFunction<
        String, TelemetryPoint, PublishedCatalog, DataQualityRow> {
  private static final long serialVersionUID = 1L;
  private static final long HOUR_MILLIS = DataQualityJob.WINDOW.toMillis();

  private final RulesInEffect rules;
  private transient ListState<TelemetryPoint> pending;

  HourlyQualityFunction(RuleCatalog initial) {
    this.rules = new RulesInEffect(initial, "data-quality-per-hour");
  }

  @Override
  public void open(OpenContext openContext) {
    pending =
        getRuntimeContext()
            .getListState(new ListStateDescriptor<>("pending", TelemetryPointTypeInfo.INSTANCE));
    rules.register(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processBroadcastElement(
      PublishedCatalog catalog, Context ctx, Collector<DataQualityRow> out) throws Exception {
    rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
  }

  @Override
  public void processElement(TelemetryPoint p, ReadOnlyContext ctx, Collector<DataQualityRow> out)
      throws Exception {
    long end = hourStart(p) + HOUR_MILLIS;
    if (end - 1 <= ctx.timerService().currentWatermark()) {
      ctx.output(DataQualityJob.LATE_POINTS, p);
      return;
    }
    pending.add(p);
    ctx.timerService().registerEventTimeTimer(end - 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<DataQualityRow> out)
      throws Exception {
    Map<Long, List<TelemetryPoint>> closed = new TreeMap<>();
    List<TelemetryPoint> open = new ArrayList<>();
    Iterable<TelemetryPoint> all = pending.get();
    if (all == null) {
      return;
    }
    for (TelemetryPoint p : all) {
      long start = hourStart(p);
      if (start + HOUR_MILLIS - 1 <= timestamp) {
        closed.computeIfAbsent(start, k -> new ArrayList<>()).add(p);
      } else {
        open.add(p);
      }
    }
    if (closed.isEmpty()) {
      return;
    }
    pending.update(open);
    RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
    long version = rules.version();
    for (Map.Entry<Long, List<TelemetryPoint>> hour : closed.entrySet()) {
      TelemetryPoint first = hour.getValue().get(0);
      DataQualityParams params = catalog.dataQuality(first.devicePath(), first.tag());
      long start = hour.getKey() * 1000L;
      out.collect(
          DataQualityWindow.compute(params, start, start + HOUR_MILLIS * 1000L, hour.getValue())
              .withRulesVersion(version));
    }
  }

  private static long hourStart(TelemetryPoint p) {
    long ms = Math.floorDiv(p.tsMicros(), 1000L);
    return ms - Math.floorMod(ms, HOUR_MILLIS);
  }
}
