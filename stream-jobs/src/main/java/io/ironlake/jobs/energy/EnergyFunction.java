package io.ironlake.jobs.energy;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.OrderedPointsFunction;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.rules.RuleCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One device's energy per one-minute window (keyed by device path), in event time, with {@link
 * EnergyTracker}: meter, power, state and good-count points wait until the watermark passes them
 * and are taken in timestamp order; a window's row is emitted once the watermark passes its end,
 * with the timestamp end − 1 ms. Points already behind the watermark on arrival are late: counted
 * ({@value OrderedPointsFunction#LATE_METRIC}), logged and sent to {@link #LATE_READINGS}.
 */
public final class EnergyFunction extends OrderedPointsFunction<EnergyRow> {
  private static final long serialVersionUID = 1L;

  /** Window length. */
  public static final long WINDOW_MICROS = EnergyTracker.WINDOW_MICROS;

  /** Late energy points (behind the watermark on arrival), not counted in any window. */
  public static final OutputTag<TelemetryPoint> LATE_READINGS =
      new OutputTag<>("energy-late-readings", TelemetryPointTypeInfo.INSTANCE);

  /** Name of the counter of meter resets. */
  public static final String RESETS_METRIC = "meterResets";

  /** Name of the counter of meter rollovers. */
  public static final String ROLLOVERS_METRIC = "meterRollovers";

  /** Name of the counter of power gaps not integrated. */
  public static final String POWER_GAPS_METRIC = "powerGaps";

  private transient ValueState<EnergyDeviceState> device;
  private transient MapState<Long, EnergyWindow> windows;
  private transient Counter resets;
  private transient Counter rollovers;
  private transient Counter powerGaps;

  /**
   * Energy of every device, with the {@link RuleCatalog#energy} parameters of the rules in effect
   * ({@code initial} until a catalog arrives on the broadcast input).
   */
  public EnergyFunction(RuleCatalog initial) {
    super("energy", LATE_READINGS, initial);
  }

  @Override
  protected void openState() {
    device =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "energy-device", TypeInformation.of(EnergyDeviceState.class)));
    windows =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "energy-windows", Types.LONG, TypeInformation.of(EnergyWindow.class)));
    resets = getRuntimeContext().getMetricGroup().counter(RESETS_METRIC);
    rollovers = getRuntimeContext().getMetricGroup().counter(ROLLOVERS_METRIC);
    powerGaps = getRuntimeContext().getMetricGroup().counter(POWER_GAPS_METRIC);
  }

  /** Only the tags the energy parameters in effect read, quality other than BAD. */
  @Override
  protected boolean accepts(TelemetryPoint point, RuleCatalog rules) {
    return EnergyJob.isEnergyInput(point, rules);
  }

  @Override
  protected void onPoint(TelemetryPoint point, OnTimerContext ctx, Collector<EnergyRow> out)
      throws Exception {
    EnergyDeviceState s = device.value();
    take(List.of(point), s == null ? new EnergyDeviceState() : s, rules(ctx), ctx);
  }

  /** The points of one timer and the windows they close, with one read and write of the state. */
  @Override
  protected void onPoints(
      List<TelemetryPoint> points, long timestamp, OnTimerContext ctx, Collector<EnergyRow> out)
      throws Exception {
    RuleCatalog catalog = rules(ctx);
    EnergyDeviceState s = device.value();
    if (s == null) {
      if (points.isEmpty()) {
        return; // a timer of a window's end: the device has state then
      }
      s = new EnergyDeviceState();
    }
    if (!points.isEmpty()) {
      take(points, s, catalog, ctx);
    }
    close(timestamp, s, catalog, ctx, out);
  }

  /** Takes points in order into the device state and the windows they touch; writes both. */
  private void take(
      List<TelemetryPoint> points, EnergyDeviceState s, RuleCatalog catalog, OnTimerContext ctx)
      throws Exception {
    Map<Long, EnergyWindow> touched = new HashMap<>(2);
    EnergyTracker tracker =
        new EnergyTracker(
            catalog.energy(ctx.getCurrentKey()),
            s,
            start -> touched.computeIfAbsent(start, k -> load(k, ctx)));
    for (TelemetryPoint point : points) {
      tracker.accept(point);
    }
    for (Map.Entry<Long, EnergyWindow> e : touched.entrySet()) {
      windows.put(e.getKey(), e.getValue());
    }
    device.update(s);
  }

  private EnergyWindow load(long start, OnTimerContext ctx) {
    try {
      EnergyWindow w = windows.get(start);
      if (w == null) {
        w = new EnergyWindow(start);
        ctx.timerService().registerEventTimeTimer(Math.floorDiv(start + WINDOW_MICROS, 1000L) - 1);
      }
      return w;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read energy window state: " + e.getMessage(), e);
    }
  }

  @Override
  protected void afterPoints(long timestamp, OnTimerContext ctx, Collector<EnergyRow> out)
      throws Exception {
    EnergyDeviceState s = device.value();
    if (s != null) {
      close(timestamp, s, rules(ctx), ctx, out);
    }
  }

  /** Emits and removes the windows that end at or before {@code timestamp}, oldest first. */
  private void close(
      long timestamp,
      EnergyDeviceState s,
      RuleCatalog catalog,
      OnTimerContext ctx,
      Collector<EnergyRow> out)
      throws Exception {
    List<Long> closed = null;
    for (Long start : windows.keys()) {
      if (Math.floorDiv(start + WINDOW_MICROS, 1000L) - 1 <= timestamp) {
        if (closed == null) {
          closed = new ArrayList<>(1);
        }
        closed.add(start);
      }
    }
    if (closed == null) {
      return;
    }
    closed.sort(Long::compare);
    EnergyTracker tracker =
        new EnergyTracker(catalog.energy(ctx.getCurrentKey()), s, start -> null);
    long version = rulesVersion(ctx);
    for (Long start : closed) {
      EnergyWindow w = windows.get(start);
      windows.remove(start);
      resets.inc(w.meterResets);
      rollovers.inc(w.meterRollovers);
      powerGaps.inc(w.powerGaps);
      EnergyRow row = tracker.close(w);
      if (row != null) {
        out.collect(row.withRulesVersion(version));
      }
    }
    device.update(s);
  }
}
