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
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Limit (HH/H/L/LL), rate-of-change and frozen-value alarms of one tag (keyed by device path and
 * tag) with {@link TagAlarms}, in event time: samples in timestamp order, RAISED and CLEARED events
 * with the sample's timestamp. Limit and rate-of-change alarms are also evaluated on arrival, for
 * the live topic ({@link #FAST_ALARMS}).
 */
public final class TagAlarmFunction extends OrderedPointsFunction<AlarmEvent> {
  private static final long serialVersionUID = 1L;

  /** Samples behind the watermark on arrival. */
  public static final OutputTag<TelemetryPoint> LATE_POINTS =
      new OutputTag<>("safety-late-points", TelemetryPointTypeInfo.INSTANCE);

  /**
   * Limit and rate-of-change events evaluated on arrival (processing time, without waiting for the
   * watermark): each sample of a tag newer than the newest one the fast path took, in arrival
   * order; a sample at or before it is skipped here (the event-time path still takes it). For
   * samples that arrive in timestamp order these are the same events, with the same ids, as the
   * event-time path's.
   */
  public static final OutputTag<AlarmEvent> FAST_ALARMS =
      new OutputTag<>("safety-fast-alarms", TypeInformation.of(AlarmEvent.class));

  /** Name of the counter of samples the fast path skipped (not newer than its newest). */
  public static final String FAST_SKIPPED_METRIC = "fastPathSkipped";

  private transient ValueState<TagAlarmState> state;
  private transient ValueState<TagAlarmState> fastState;
  private transient Counter fastSkipped;

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
    fastState =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("fast-alarms", TypeInformation.of(TagAlarmState.class)));
    fastSkipped = getRuntimeContext().getMetricGroup().counter(FAST_SKIPPED_METRIC);
  }

  @Override
  public void processElement(TelemetryPoint p, ReadOnlyContext ctx, Collector<AlarmEvent> out)
      throws Exception {
    // What accepts would say, with one look-up of the parameters for both paths.
    if (!QualityJob.isMeasurement(p)) {
      return;
    }
    Optional<TagSafetyParams> params = rules(ctx).safety(p.devicePath(), p.tag());
    if (params.isEmpty()) {
      return;
    }
    onArrival(p, params.get(), ctx);
    keep(p, ctx);
  }

  /** The fast path: limit and rate-of-change alarms of a sample as it arrives. */
  private void onArrival(TelemetryPoint p, TagSafetyParams params, ReadOnlyContext ctx)
      throws Exception {
    TagSafetyParams fast = fastPart(params);
    if (fast == null) {
      return;
    }
    TagAlarmState s = fastState.value();
    if (s != null && p.tsMicros() <= s.previousTs()) {
      // Out of order (or a repeated timestamp): TagAlarms takes samples in order only.
      fastSkipped.inc();
      return;
    }
    TagAlarms.Result r =
        TagAlarms.onSample(
            fast, s == null ? TagAlarmState.initial() : s, p.tsMicros(), p.value().asDouble());
    fastState.update(r.next());
    for (AlarmTransition t : r.transitions()) {
      ctx.output(FAST_ALARMS, event(p, t, params, rulesVersion(ctx)));
    }
  }

  /** The limit and rate-of-change part of {@code p}, null when it has neither. */
  static TagSafetyParams fastPart(TagSafetyParams p) {
    if (p.limits() == null && p.rateOfChange() == null) {
      return null;
    }
    return p.frozen() == null ? p : new TagSafetyParams(p.limits(), p.rateOfChange(), null);
  }

  /** Whether the fast path ({@link #FAST_ALARMS}) carries events of this type. */
  public static boolean isFastType(AlarmType type) {
    return switch (type) {
      case HH, H, L, LL, ROC -> true;
      default -> false;
    };
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
      out.collect(event(p, t, params.get(), rulesVersion(ctx)));
    }
  }

  private static AlarmEvent event(
      TelemetryPoint p, AlarmTransition t, TagSafetyParams params, long rulesVersion) {
    return AlarmEvent.of(
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
            message(p.tag(), t, params))
        .withRulesVersion(rulesVersion);
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
