package io.ironlake.jobs.quality;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.OrderedPointsFunction;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmState;
import io.ironlake.jobs.safety.AlarmType;
import java.util.Optional;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charts one characteristic (keyed by device path and tag) with {@link SpcChart}, in event time.
 * Emits an {@link SpcRow} per charted subgroup; a Nelson rule that starts firing is a RAISED {@link
 * AlarmEvent} of type {@code SPC_RULE_n} on {@link #RULE_EVENTS}, CLEARED when it stops.
 */
public final class SpcFunction extends OrderedPointsFunction<SpcRow> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SpcFunction.class);

  /** Name of the counter of baselines dropped for having no spread. */
  public static final String REJECTED_BASELINES_METRIC = "spcBaselinesRejected";

  /** Measurements behind the watermark on arrival. */
  public static final OutputTag<TelemetryPoint> LATE_POINTS =
      new OutputTag<>("spc-late-points", TelemetryPointTypeInfo.INSTANCE);

  /** Nelson rules starting and stopping to fire, as alarm events. */
  public static final OutputTag<AlarmEvent> RULE_EVENTS =
      new OutputTag<>("spc-rule-events", TypeInformation.of(AlarmEvent.class));

  private transient ValueState<SpcState> state;
  private transient ValueState<String> shape;
  private transient Counter rejected;

  /** Charts the characteristics the catalog in effect names, starting with {@code catalog}. */
  public SpcFunction(RuleCatalog catalog) {
    super("spc", LATE_POINTS, catalog);
  }

  @Override
  protected boolean accepts(TelemetryPoint p, RuleCatalog rules) {
    return isInput(p, rules);
  }

  /** Whether a point is a measurement of a characteristic {@code rules} charts. */
  public static boolean isInput(TelemetryPoint p, RuleCatalog rules) {
    return QualityJob.isMeasurement(p) && rules.spc(p.devicePath(), p.tag()).isPresent();
  }

  @Override
  protected void openState() {
    state =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("chart", TypeInformation.of(SpcState.class)));
    shape =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("chart-shape", TypeInformation.of(String.class)));
    rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_BASELINES_METRIC);
  }

  @Override
  protected void onPoint(TelemetryPoint p, OnTimerContext ctx, Collector<SpcRow> out)
      throws Exception {
    Optional<SpcParams> found = rules(ctx).spc(p.devicePath(), p.tag());
    if (found.isEmpty() || !QualityJob.isMeasurement(p)) {
      return;
    }
    SpcParams params = found.get();
    SpcState s = state.value();
    String newShape = shape(params);
    if (s != null && !newShape.equals(shape.value())) {
      // Chart type, subgroup size, limits or baseline changed: the old subgroups and limits do
      // not fit the new chart, which starts over (spec limits and rules alone keep the chart).
      LOG.info(
          "spc chart restarted for new rules: key={}, was={}, now={}",
          ctx.getCurrentKey(),
          shape.value(),
          newShape);
      s = null;
    }
    shape.update(newShape);
    SpcChart chart = new SpcChart(params, s == null ? SpcState.initial() : s);
    for (SpcResult r : chart.add(p.tsMicros(), p.value().asDouble())) {
      long version = rulesVersion(ctx);
      out.collect(
          SpcRow.of(p.site(), p.area(), p.line(), p.device(), p.tag(), params, r)
              .withRulesVersion(version));
      for (SpcResult.RuleChange change : r.changes()) {
        ctx.output(RULE_EVENTS, event(p, r, change).withRulesVersion(version));
      }
    }
    if (chart.baselineRejected()) {
      rejected.inc();
      LOG.warn(
          "spc baseline without spread dropped, starting a new one: key={}, subgroups={},"
              + " lastSubgroup={}",
          ctx.getCurrentKey(),
          params.baselineSubgroups(),
          chart.snapshot().index());
    }
    state.update(chart.snapshot());
  }

  private static String shape(SpcParams p) {
    return p.chart()
        + " n="
        + p.subgroupSize()
        + " baseline="
        + p.baselineSubgroups()
        + " limits="
        + p.configuredLimits();
  }

  private static AlarmEvent event(TelemetryPoint p, SpcResult r, SpcResult.RuleChange change) {
    AlarmType type = AlarmType.spcRule(change.rule());
    double mean = r.subgroup().mean();
    ControlLimits l = r.limits();
    double limit =
        switch (change.rule()) {
          case R1 -> mean >= l.center() ? l.ucl() : l.lcl();
          default -> l.center();
        };
    String message =
        change.firing()
            ? p.tag()
                + ": Nelson rule "
                + change.rule().number()
                + ", "
                + change.rule().description()
                + " (subgroup "
                + r.index()
                + ", mean "
                + mean
                + ")"
            : p.tag()
                + ": Nelson rule "
                + change.rule().number()
                + " no longer fires (subgroup "
                + r.index()
                + ")";
    return AlarmEvent.of(
        p.site(),
        p.area(),
        p.line(),
        p.device(),
        p.tag(),
        type,
        type.defaultPriority(),
        change.firing() ? AlarmState.RAISED : AlarmState.CLEARED,
        mean,
        limit,
        r.endMicros(),
        change.raisedAtMicros(),
        message);
  }
}
