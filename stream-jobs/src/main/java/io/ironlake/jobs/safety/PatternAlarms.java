package io.ironlake.jobs.safety;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Multi-signal patterns in time with Flink CEP: per device, a point meeting one condition followed
 * (not necessarily next) by a point meeting the other, less than {@code within} later in event
 * time; either order. A match is a RAISED {@link AlarmType#PATTERN} alarm (no CLEARED: the pattern
 * is an event; acknowledging it closes it), stamped with the later point's time.
 */
public final class PatternAlarms {
  private PatternAlarms() {}

  /** The CEP pattern of one {@link PatternParams}. */
  public static Pattern<TelemetryPoint, TelemetryPoint> pattern(PatternParams params) {
    return Pattern.<TelemetryPoint>begin("first", AfterMatchSkipStrategy.skipPastLastEvent())
        .where(new EitherCondition(params))
        .followedBy("second")
        .where(new OtherCondition(params))
        .within(params.within());
  }

  /**
   * Points behind the pattern operator's watermark on arrival: CEP cannot place them, so they go
   * here instead of being dropped.
   */
  public static final OutputTag<TelemetryPoint> LATE_POINTS =
      new OutputTag<>("pattern-late-points", TelemetryPointTypeInfo.INSTANCE);

  /**
   * Raised alarms of one pattern over the points (which need event-time watermarks); late points on
   * the side output {@link #LATE_POINTS}.
   */
  public static SingleOutputStreamOperator<AlarmEvent> matches(
      DataStream<TelemetryPoint> points, PatternParams params, String uid) {
    DataStream<TelemetryPoint> relevant =
        points
            .filter(
                p ->
                    params.appliesTo(p.devicePath())
                        && (p.tag().equals(params.first().tag())
                            || p.tag().equals(params.second().tag())))
            .returns(TelemetryPointTypeInfo.INSTANCE)
            .name("pattern-" + params.name() + "-signals")
            .uid(uid + "-signals");
    return CEP.pattern(relevant.keyBy(TelemetryPoint::devicePath), pattern(params))
        .inEventTime()
        .sideOutputLateData(LATE_POINTS)
        .process(new Matched(params), TypeInformation.of(AlarmEvent.class))
        .name("pattern-" + params.name())
        .uid(uid + "-cep");
  }

  /** The first point meets either condition. */
  private static final class EitherCondition extends IterativeCondition<TelemetryPoint> {
    private static final long serialVersionUID = 1L;
    private final PatternParams params;

    EitherCondition(PatternParams params) {
      this.params = params;
    }

    @Override
    public boolean filter(TelemetryPoint p, Context<TelemetryPoint> ctx) {
      return params.first().test(p) || params.second().test(p);
    }
  }

  /** The second point meets the condition the first one did not. */
  private static final class OtherCondition extends IterativeCondition<TelemetryPoint> {
    private static final long serialVersionUID = 1L;
    private final PatternParams params;

    OtherCondition(PatternParams params) {
      this.params = params;
    }

    @Override
    public boolean filter(TelemetryPoint p, Context<TelemetryPoint> ctx) throws Exception {
      for (TelemetryPoint first : ctx.getEventsForPattern("first")) {
        SignalCondition other = params.first().test(first) ? params.second() : params.first();
        return other.test(p);
      }
      return false;
    }
  }

  /** Turns a match into a RAISED alarm. */
  private static final class Matched extends PatternProcessFunction<TelemetryPoint, AlarmEvent> {
    private static final long serialVersionUID = 1L;
    private final PatternParams params;

    Matched(PatternParams params) {
      this.params = params;
    }

    @Override
    public void processMatch(
        Map<String, List<TelemetryPoint>> match, Context ctx, Collector<AlarmEvent> out) {
      TelemetryPoint a = match.get("first").get(0);
      TelemetryPoint b = match.get("second").get(0);
      SignalCondition bCondition = params.first().test(b) ? params.first() : params.second();
      SignalCondition aCondition = bCondition == params.first() ? params.second() : params.first();
      String message =
          params.name()
              + ": "
              + aCondition
              + " ("
              + a.value().asText()
              + ") and "
              + bCondition
              + " ("
              + b.value().asText()
              + ") "
              + (b.tsMicros() - a.tsMicros()) / 1000
              + " ms apart, within "
              + params.within();
      out.collect(
          AlarmEvent.of(
              b.site(),
              b.area(),
              b.line(),
              b.device(),
              params.name(),
              AlarmType.PATTERN,
              params.priority(),
              AlarmState.RAISED,
              b.value().asDouble(),
              bCondition.threshold(),
              b.tsMicros(),
              b.tsMicros(),
              message));
    }
  }
}
