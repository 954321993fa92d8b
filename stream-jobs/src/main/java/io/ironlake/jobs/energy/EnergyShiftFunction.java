package io.ironlake.jobs.energy;

import io.ironlake.jobs.quality.Shift;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Energy per device and per line per shift (keyed by {@code site/area/line}), from the minute rows.
 * A device's shifts come from {@code catalog.energy(devicePath)}, the line's from {@code
 * catalog.energy(site/area/line)}. Minute rows carry the timestamp window end − 1 ms and arrive
 * before the watermark passes it; a shift's rows are emitted once the watermark passes its end.
 */
public final class EnergyShiftFunction
    extends KeyedBroadcastProcessFunction<String, EnergyRow, PublishedCatalog, EnergyShiftRow> {
  private static final long serialVersionUID = 1L;

  private final RulesInEffect rules;
  private transient MapState<String, EnergyTotals> totals;

  /**
   * Shift totals with the shift calendars of the rules in effect ({@link LiveRules}): a minute row
   * goes to the shift of the calendar in effect when it arrives, so a changed calendar applies from
   * the next shift that opens (a shift already open keeps its bounds and the version it opened
   * with, which its row carries as {@code rules_version}).
   */
  public EnergyShiftFunction(RuleCatalog initial) {
    this.rules = new RulesInEffect(initial, "energy-per-shift");
  }

  @Override
  public void processBroadcastElement(
      PublishedCatalog catalog, Context ctx, Collector<EnergyShiftRow> out) throws Exception {
    rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
  }

  @Override
  public void open(OpenContext openContext) {
    totals =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "energy-shift-totals", Types.STRING, TypeInformation.of(EnergyTotals.class)));
    rules.register(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(EnergyRow row, ReadOnlyContext ctx, Collector<EnergyShiftRow> out)
      throws Exception {
    RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
    Shift deviceShift = catalog.energy(row.devicePath()).shifts().shiftAt(row.windowStartMicros());
    add(row, row.device(), deviceShift, ctx);
    Shift lineShift = catalog.energy(row.linePath()).shifts().shiftAt(row.windowStartMicros());
    add(row, null, lineShift, ctx);
  }

  private void add(EnergyRow row, String device, Shift shift, ReadOnlyContext ctx)
      throws Exception {
    String key = shift.startMicros() + "/" + (device == null ? "" : "d:" + device);
    EnergyTotals t = totals.get(key);
    if (t == null) {
      t = EnergyTotals.of(row, device, shift.name(), shift.startMicros(), shift.endMicros());
      t.rulesVersion = rules.version();
      ctx.timerService().registerEventTimeTimer(Math.floorDiv(shift.endMicros(), 1000L) - 1);
    }
    t.add(row);
    totals.put(key, t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnergyShiftRow> out)
      throws Exception {
    List<EnergyTotals> done = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, EnergyTotals> e : totals.entries()) {
      if (Math.floorDiv(e.getValue().endMicros, 1000L) - 1 <= timestamp) {
        done.add(e.getValue());
        keys.add(e.getKey());
      }
    }
    done.sort(
        (a, b) ->
            a.startMicros != b.startMicros
                ? Long.compare(a.startMicros, b.startMicros)
                : String.valueOf(a.device).compareTo(String.valueOf(b.device)));
    for (EnergyTotals t : done) {
      int devices = 1;
      if (t.device == null) {
        // Devices with minutes in the line's shift (their own calendar may differ).
        Set<String> names = new HashSet<>();
        for (EnergyTotals d : done) {
          if (d.device != null && d.startMicros < t.endMicros && d.endMicros > t.startMicros) {
            names.add(d.device);
          }
        }
        devices = names.size();
      }
      out.collect(t.toRow(devices));
    }
    for (String k : keys) {
      totals.remove(k);
    }
  }
}
