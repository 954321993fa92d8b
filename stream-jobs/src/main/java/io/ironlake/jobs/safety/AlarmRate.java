package io.ironlake.jobs.safety;

import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ISA-18.2 alarm rate: RAISED events per line in tumbling event-time windows ({@link
 * FloodParams#window()}); a window with more than {@link FloodParams#threshold()} is a flood. A
 * window without alarms has no row.
 *
 * <p>The flood parameters follow the rules topic ({@link LiveRules}): an alarm goes to the window
 * of the length in effect when it arrives (a window already open keeps its length, so right after a
 * change of the window length an old and a new window can overlap once); a window's row takes the
 * threshold and the rules version in effect when the watermark closes it.
 */
public final class AlarmRate {
  /** Name of the counter of RAISED events whose window had already closed (not counted). */
  public static final String LATE_METRIC = "lateAlarms";

  private AlarmRate() {}

  /** One row per line and window with at least one alarm raised, with fixed flood parameters. */
  public static DataStream<AlarmRateRow> rows(
      DataStream<AlarmEvent> events, FloodParams flood, String uid) {
    RuleCatalog catalog = StaticRuleCatalog.builder().noPatterns().flood(flood).build();
    return rows(events, LiveRules.fixed(events.getExecutionEnvironment(), catalog), uid);
  }

  /**
   * One row per line and window with at least one alarm raised; flood parameters as they change.
   */
  public static DataStream<AlarmRateRow> rows(
      DataStream<AlarmEvent> events, LiveRules rules, String uid) {
    return events
        .filter(e -> e.state() == AlarmState.RAISED)
        .name("alarms-raised")
        .uid(uid + "-raised")
        .keyBy(AlarmEvent::linePath)
        .connect(rules.broadcast())
        .process(new RateFunction(rules.initial()), TypeInformation.of(AlarmRateRow.class))
        .name("alarm-rate")
        // Not the window operator of the fixed-parameter version: its state is skipped.
        .uid(uid + "-live-rate");
  }

  /** Counts per line and window; window starts (ms) map to their end and count. */
  static final class RateFunction
      extends KeyedBroadcastProcessFunction<String, AlarmEvent, PublishedCatalog, AlarmRateRow> {
    private static final long serialVersionUID = 1L;
    private final RulesInEffect rules;
    private transient MapState<Long, long[]> windows;
    private transient Counter late;

    RateFunction(RuleCatalog initial) {
      this.rules = new RulesInEffect(initial, "alarm-rate");
    }

    @Override
    public void open(OpenContext openContext) {
      windows =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "alarm-rate-windows",
                      Types.LONG,
                      PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
      late = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
      rules.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processBroadcastElement(
        PublishedCatalog catalog, Context ctx, Collector<AlarmRateRow> out) throws Exception {
      rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
    }

    @Override
    public void processElement(AlarmEvent e, ReadOnlyContext ctx, Collector<AlarmRateRow> out)
        throws Exception {
      FloodParams flood = rules.current(ctx.getBroadcastState(LiveRules.STATE)).flood();
      // The Flink timestamp, as a window operator would: SPC baseline rule events carry their
      // subgroup's time but are emitted (and counted) when the baseline completes.
      Long stamp = ctx.timestamp();
      long ts = stamp != null ? stamp : Math.floorDiv(e.tsMicros(), 1000L);
      long length = flood.window().toMillis();
      long aligned = ts - Math.floorMod(ts, length);
      long start = aligned;
      long[] w = windows.get(start);
      while (w != null && w[0] <= ts) {
        // A window of an older, shorter length starts here and ends before ts: continue after it.
        start = w[0];
        w = windows.get(start);
      }
      long end = w == null ? aligned + length : w[0];
      if (end - 1 <= ctx.timerService().currentWatermark()) {
        late.inc();
        return;
      }
      windows.put(start, new long[] {end, w == null ? 1 : w[1] + 1});
      ctx.timerService().registerEventTimeTimer(end - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlarmRateRow> out)
        throws Exception {
      List<Long> closed = new ArrayList<>();
      for (Map.Entry<Long, long[]> e : windows.entries()) {
        if (e.getValue()[0] - 1 <= timestamp) {
          closed.add(e.getKey());
        }
      }
      if (closed.isEmpty()) {
        return;
      }
      closed.sort(Long::compare);
      RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
      int threshold = catalog.flood().threshold();
      long version = rules.version();
      String[] p = ctx.getCurrentKey().split("/", 3);
      for (Long start : closed) {
        long[] w = windows.get(start);
        windows.remove(start);
        out.collect(
            new AlarmRateRow(
                p[0],
                p[1],
                p[2],
                start * 1000L,
                w[0] * 1000L,
                (int) w[1],
                threshold,
                w[1] > threshold,
                version));
      }
    }
  }
}
