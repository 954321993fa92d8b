package io.ironlake.jobs.energy;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one device's cumulative meter readings into energy per one-minute window, in event time.
 *
 * <p>Readings wait in state until the watermark passes them, so they are taken in timestamp order
 * even when they arrive out of order. Each reading after the first gives a delta to the previous
 * one: {@code cur - prev}, or {@code cur} when the meter went down (a reset: it restarted from 0).
 * The delta counts in the window of the later reading. A window is emitted once the watermark
 * passes its end. Readings already behind the watermark on arrival are late: counted, logged and
 * sent to {@link #LATE_READINGS}.
 */
public final class EnergyFunction extends KeyedProcessFunction<String, TelemetryPoint, EnergyRow> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EnergyFunction.class);

  /** Window length. */
  public static final long WINDOW_MICROS = 60_000_000L;

  /** Late meter readings (behind the watermark on arrival), not counted in any window. */
  public static final OutputTag<TelemetryPoint> LATE_READINGS =
      new OutputTag<>("energy-late-readings", TelemetryPointTypeInfo.INSTANCE);

  /** Name of the counter of late readings. */
  public static final String LATE_METRIC = "lateReadings";

  /** Name of the counter of meter resets. */
  public static final String RESETS_METRIC = "meterResets";

  /** The device a key stands for. */
  public record Device(String site, String area, String line, String device) {}

  /** A meter reading. */
  public record Reading(long tsMicros, double value) {}

  /** What a window has so far. */
  public record Window(double energyKwh, int readings, int meterResets) {}

  private transient ValueState<Device> device;
  private transient ValueState<Reading> previous;
  private transient MapState<Long, Double> pending;
  private transient MapState<Long, Window> windows;
  private transient Counter late;
  private transient Counter resets;

  @Override
  public void open(OpenContext openContext) {
    device =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("device", TypeInformation.of(Device.class)));
    previous =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("previous", TypeInformation.of(Reading.class)));
    pending =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.DOUBLE));
    windows =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>("windows", Types.LONG, TypeInformation.of(Window.class)));
    late = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
    resets = getRuntimeContext().getMetricGroup().counter(RESETS_METRIC);
  }

  @Override
  public void processElement(TelemetryPoint point, Context ctx, Collector<EnergyRow> out)
      throws Exception {
    long millis = Math.floorDiv(point.tsMicros(), 1000L);
    long watermark = ctx.timerService().currentWatermark();
    if (millis <= watermark) {
      late.inc();
      ctx.output(LATE_READINGS, point);
      if (Long.bitCount(late.getCount()) == 1) { // 1st, 2nd, 4th, 8th ... to keep logs readable
        LOG.warn(
            "energy reading late: device={}, ts={}, watermark={}, lateSoFar={}",
            ctx.getCurrentKey(),
            millis,
            watermark,
            late.getCount());
      }
      return;
    }
    if (device.value() == null) {
      device.update(new Device(point.site(), point.area(), point.line(), point.device()));
    }
    double value = point.value().asDouble();
    Double other = pending.get(point.tsMicros());
    // Two different readings with one timestamp: keep the higher (meters only go up).
    pending.put(point.tsMicros(), other == null ? value : Math.max(other, value));
    ctx.timerService().registerEventTimeTimer(millis);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnergyRow> out)
      throws Exception {
    List<Reading> due = new ArrayList<>();
    for (Map.Entry<Long, Double> entry : pending.entries()) {
      if (Math.floorDiv(entry.getKey(), 1000L) <= timestamp) {
        due.add(new Reading(entry.getKey(), entry.getValue()));
      }
    }
    due.sort((a, b) -> Long.compare(a.tsMicros(), b.tsMicros()));
    for (Reading reading : due) {
      pending.remove(reading.tsMicros());
      take(reading, ctx);
    }
    List<Long> closed = new ArrayList<>();
    for (Long start : windows.keys()) {
      if (Math.floorDiv(start + WINDOW_MICROS, 1000L) - 1 <= timestamp) {
        closed.add(start);
      }
    }
    closed.sort(Long::compare);
    Device d = device.value();
    for (Long start : closed) {
      Window w = windows.get(start);
      windows.remove(start);
      out.collect(
          new EnergyRow(
              d.site(),
              d.area(),
              d.line(),
              d.device(),
              start,
              start + WINDOW_MICROS,
              w.energyKwh(),
              w.readings(),
              w.meterResets()));
    }
  }

  private void take(Reading reading, OnTimerContext ctx) throws Exception {
    long start = reading.tsMicros() - Math.floorMod(reading.tsMicros(), WINDOW_MICROS);
    Window w = windows.get(start);
    if (w == null) {
      w = new Window(0.0, 0, 0);
      ctx.timerService().registerEventTimeTimer(Math.floorDiv(start + WINDOW_MICROS, 1000L) - 1);
    }
    double delta = 0.0;
    int reset = 0;
    Reading prev = previous.value();
    if (prev != null) {
      if (reading.value() >= prev.value()) {
        delta = reading.value() - prev.value();
      } else {
        delta = reading.value();
        reset = 1;
        resets.inc();
      }
    }
    windows.put(
        start, new Window(w.energyKwh() + delta, w.readings() + 1, w.meterResets() + reset));
    previous.update(reading);
  }
}
