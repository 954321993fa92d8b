package io.ironlake.jobs.safety;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.OrderedPointsFunction;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.rules.RuleCatalog;
import java.util.Optional;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Limit (HH/H/L/LL), rate-of-change and frozen-value alarms of one tag (keyed by device path and
 * tag) with {@link TagAlarms}, in event time: samples in timestamp order, RAISED and CLEARED events
 * with the sample's timestamp.
 */
public final class TagAlarmFunction extends OrderedPointsFunction<AlarmEvent> {
  private static final long serialVersionUID = 1L;

  /** Samples behind the watermark on arrival. */
  public static final OutputTag<TelemetryPoint> LATE_POINTS =
      new OutputTag<>("safety-late-points", TelemetryPointTypeInfo.INSTANCE);

  private transient ValueState<TagAlarmState> state;

  /**
   * Alarms of the tags the catalog in effect has safety parameters for, starting with {@code
   * catalog}.
   */
  public TagAlarmFunction(RuleCatalog catalog) {
    super("safety", LATE_POINTS, catalog);
  }

  @Override
  protected boolean accepts(TelemetryPoint p, RuleCatalog rules) {
    return isInput(p, rules);
  }

  /** Whether a point is a measurement of a tag {@code rules} has safety parameters for. */
  public static boolean isInput(TelemetryPoint p, RuleCatalog rules) {
    return QualityJob.isMeasurement(p) && rules.safety(p.devicePath(), p.tag()).isPresent();
  }

  @Override
  protected void openState() {
    state =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("alarms", TypeInformation.of(TagAlarmState.class)));
  }

  @Override
  protected void onPoint(TelemetryPoint p, OnTimerContext ctx, Collector<AlarmEvent> out)
      throws Exception {
    Optional<TagSafetyParams> params = rules(ctx).safety(p.devicePath(), p.tag());
    if (params.isEmpty() || !QualityJob.isMeasurement(p)) {
      return;
    }
    TagAlarmState s = state.value();
    TagAlarms.Result r =
        TagAlarms.onSample(
            params.get(),
            s == null ? TagAlarmState.initial() : s,
            p.tsMicros(),
            p.value().asDouble());
    state.update(r.next());
    for (AlarmTransition t : r.transitions()) {
      out.collect(
          AlarmEvent.of(
                  p.site(),
                  p.area(),
                  p.line(),
                  p.device(),
                  p.tag(),
                  t.type(),
                  t.type().defaultPriority(),
                  t.state(),
                  t.value(),
                  t.limit(),
                  t.tsMicros(),
                  t.raisedAtMicros(),
                  message(p.tag(), t, params.get()))
              .withRulesVersion(rulesVersion(ctx)));
    }
  }

  static String message(String tag, AlarmTransition t, TagSafetyParams p) {
    boolean raised = t.state() == AlarmState.RAISED;
    return switch (t.type()) {
      case HH, H ->
          raised
              ? tag + " " + t.value() + " above " + t.type() + " limit " + t.limit()
              : tag
                  + " back to "
                  + t.value()
                  + " ("
                  + t.type()
                  + " limit "
                  + t.limit()
                  + ", deadband "
                  + p.limits().deadband()
                  + ")";
      case L, LL ->
          raised
              ? tag + " " + t.value() + " below " + t.type() + " limit " + t.limit()
              : tag
                  + " back to "
                  + t.value()
                  + " ("
                  + t.type()
                  + " limit "
                  + t.limit()
                  + ", deadband "
                  + p.limits().deadband()
                  + ")";
      case ROC ->
          raised
              ? tag + " changing " + t.value() + " per s, more than " + t.limit()
              : tag + " changing " + t.value() + " per s again";
      case FROZEN ->
          raised
              ? tag + " unchanged at " + t.value() + " for " + p.frozen().after()
              : tag + " changed to " + t.value();
      default -> tag + " " + t.type() + " " + t.state();
    };
  }
}
