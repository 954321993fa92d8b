package io.ironlake.jobs.quality;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.OrderedPointsFunction;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.rules.RuleCatalog;
import java.util.Optional;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * OEE per device and shift (keyed by device path) with {@link OeeTracker}, in event time: state and
 * counter points in timestamp order; a shift's row is emitted once the watermark passes its end,
 * with the timestamp end − 1 ms.
 */
public final class OeeFunction extends OrderedPointsFunction<OeeRow> {
  private static final long serialVersionUID = 1L;

  /** State and counter points behind the watermark on arrival. */
  public static final OutputTag<TelemetryPoint> LATE_POINTS =
      new OutputTag<>("oee-late-points", TelemetryPointTypeInfo.INSTANCE);

  private transient ValueState<OeeState> state;
  private transient ValueState<String> device;

  /** OEE of the devices the catalog in effect has parameters for, starting with {@code catalog}. */
  public OeeFunction(RuleCatalog catalog) {
    super("oee", LATE_POINTS, catalog);
  }

  @Override
  protected boolean accepts(TelemetryPoint p, RuleCatalog rules) {
    return isInput(p, rules);
  }

  /** Whether a point is the state, good or total count of a device {@code rules} has OEE for. */
  public static boolean isInput(TelemetryPoint p, RuleCatalog rules) {
    return p.quality() != Quality.BAD
        && rules
            .oee(p.devicePath())
            .map(
                o ->
                    p.tag().equals(o.stateTag())
                        || p.tag().equals(o.goodCountTag())
                        || p.tag().equals(o.totalCountTag()))
            .orElse(false);
  }

  @Override
  protected void openState() {
    state =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("tracker", TypeInformation.of(OeeState.class)));
    device =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("device", TypeInformation.of(String.class)));
  }

  @Override
  protected void onPoint(TelemetryPoint p, OnTimerContext ctx, Collector<OeeRow> out)
      throws Exception {
    Optional<OeeParams> found = rules(ctx).oee(p.devicePath());
    if (found.isEmpty() || p.quality() == Quality.BAD) {
      return;
    }
    OeeParams params = found.get();
    OeeTracker tracker = tracker(params);
    PointValue v = p.value();
    if (p.tag().equals(params.stateTag())) {
      tracker.state(p.tsMicros(), v.asText());
    } else if (p.tag().equals(params.goodCountTag()) && isCount(v)) {
      tracker.goodCount(p.tsMicros(), (long) v.asDouble());
    } else if (p.tag().equals(params.totalCountTag()) && isCount(v)) {
      tracker.totalCount(p.tsMicros(), (long) v.asDouble());
    } else {
      return;
    }
    if (device.value() == null) {
      device.update(p.site() + '\u0000' + p.area() + '\u0000' + p.line() + '\u0000' + p.device());
    }
    finish(tracker, params, ctx, out);
  }

  @Override
  protected void afterPoints(long timestamp, OnTimerContext ctx, Collector<OeeRow> out)
      throws Exception {
    if (state.value() == null) {
      return;
    }
    Optional<OeeParams> found = rules(ctx).oee(ctx.getCurrentKey());
    if (found.isEmpty()) {
      return;
    }
    OeeTracker tracker = tracker(found.get());
    tracker.advanceTo((timestamp + 1) * 1000L);
    finish(tracker, found.get(), ctx, out);
  }

  private OeeTracker tracker(OeeParams params) throws Exception {
    OeeState s = state.value();
    return new OeeTracker(params, s == null ? OeeState.initial() : s);
  }

  private void finish(
      OeeTracker tracker, OeeParams params, OnTimerContext ctx, Collector<OeeRow> out)
      throws Exception {
    String[] d = device.value().split("\u0000", -1);
    for (ShiftTotals t : tracker.drainClosed()) {
      out.collect(
          OeeRow.device(d[0], d[1], d[2], d[3], t, params.idealCycleSeconds())
              .withRulesVersion(rulesVersion(ctx)));
    }
    state.update(tracker.snapshot());
    long end = tracker.openShiftEnd();
    if (end != OeeState.NONE) {
      ctx.timerService().registerEventTimeTimer(Math.floorDiv(end, 1000L) - 1);
    }
  }

  private static boolean isCount(PointValue v) {
    return (v instanceof PointValue.LongValue || v instanceof PointValue.DoubleValue)
        && Double.isFinite(v.asDouble())
        && v.asDouble() >= 0;
  }
}
