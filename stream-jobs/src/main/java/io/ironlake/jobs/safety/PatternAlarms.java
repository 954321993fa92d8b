package io.ironlake.jobs.safety;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.late.LatePoint;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.RulesInEffect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-signal patterns in time with Flink CEP, following the rules topic: per device, a point
 * meeting one condition followed (not necessarily next) by a point meeting the other, less than
 * {@code within} later in event time; either order. A match is a RAISED {@link AlarmType#PATTERN}
 * alarm (no CLEARED: the pattern is an event; acknowledging it closes it), stamped with the later
 * point's time; repeats within the pattern's hold-off are dropped.
 *
 * <p>How the patterns follow the catalog: a broadcast-connected step ({@link Signals}) judges each
 * point against the patterns in effect and emits a {@link PatternSignal} per condition met,
 * carrying the pattern's definition then; one CEP pattern ({@link #pattern()}) keyed by device and
 * pattern matches "a signal, followed by a signal of the other condition of the same definition,
 * less than the first signal's {@code within} later", with a CEP window of {@link
 * PatternParams#MAX_WITHIN}. So a pattern added, changed (conditions, window, hold-off, priority)
 * or removed applies from the next points on; a signal judged by the old definition never pairs
 * with one judged by the new.
 */
public final class PatternAlarms {
  private static final Logger LOG = LoggerFactory.getLogger(PatternAlarms.class);

  /** Name of the job in {@code ironlake.late_points} rows of the pattern operator. */
  public static final String JOB = "safety";

  /** Name of the counter of late points (once per pattern they concern). */
  public static final String LATE_METRIC = "latePoints";

  /**
   * Points behind the pattern operator's watermark on arrival, one per pattern whose tags they are
   * (operator {@code pattern-<name>}): CEP could not place them, so they are kept instead.
   */
  public static final OutputTag<LatePoint> LATE_POINTS =
      new OutputTag<>("pattern-late-points", TypeInformation.of(LatePoint.class));

  private PatternAlarms() {}

  /** The CEP pattern over the signals of one device and pattern. */
  public static Pattern<PatternSignal, PatternSignal> pattern() {
    // No skip strategy: with one, CEP holds a match back while an earlier partial match is open,
    // i.e. up to MAX_WITHIN; the hold-off step drops what skip-past-last-event would have.
    // A newer signal of the same condition ends the partial match of an older one: the newer is
    // nearer to any later second signal, so whenever the older would match, the newer does too, and
    // a device keeps one open partial match per condition instead of every signal of MAX_WITHIN.
    return Pattern.<PatternSignal>begin("first", AfterMatchSkipStrategy.noSkip())
        .notFollowedBy("again")
        .where(new SameSignal())
        .followedBy("second")
        .where(new OtherSignal())
        .within(PatternParams.MAX_WITHIN);
  }

  /**
   * The condition signals of the patterns in effect (points need event-time watermarks); late
   * points on the side output {@link #LATE_POINTS}.
   */
  public static SingleOutputStreamOperator<PatternSignal> signals(
      DataStream<TelemetryPoint> points, LiveRules rules, String uid) {
    return points
        .connect(rules.broadcast())
        .process(new Signals(rules.initial()), TypeInformation.of(PatternSignal.class))
        .name("pattern-signals")
        .uid(uid + "-signals");
  }

  /** Raised alarms of every pattern in effect, repeats within the hold-off removed. */
  public static DataStream<AlarmEvent> matches(DataStream<PatternSignal> signals, String uid) {
    return CEP.pattern(signals.keyBy(PatternSignal::key, Types.STRING), pattern())
        .inEventTime()
        .process(new Matched(), TypeInformation.of(Match.class))
        .name("patterns")
        .uid(uid + "-cep")
        .keyBy(m -> m.alarm().key(), Types.STRING)
        .process(new HoldOff(), TypeInformation.of(AlarmEvent.class))
        .name("patterns-hold-off")
        .uid(uid + "-hold-off");
  }

  /** Whether a point is read by a pattern of {@code rules} (one of its tags, on its devices). */
  public static boolean isInput(TelemetryPoint p, RuleCatalog rules) {
    for (PatternParams params : rules.patterns()) {
      if (params.reads(p)) {
        return true;
      }
    }
    return false;
  }

  /** A stable fingerprint of a pattern's definition (the same in every JVM). */
  static int definition(PatternParams p) {
    CRC32 crc = new CRC32();
    crc.update(p.toString().getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /** Judges each point against the patterns in effect. */
  static final class Signals
      extends BroadcastProcessFunction<TelemetryPoint, PublishedCatalog, PatternSignal> {
    private static final long serialVersionUID = 1L;
    private final RulesInEffect rules;
    private transient RuleCatalog compiledFor;
    private transient Map<String, List<Compiled>> byTag;
    private transient Counter late;

    Signals(RuleCatalog initial) {
      this.rules = new RulesInEffect(initial, "pattern-signals");
    }

    @Override
    public void open(OpenContext openContext) {
      late = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
      rules.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processBroadcastElement(
        PublishedCatalog catalog, Context ctx, Collector<PatternSignal> out) throws Exception {
      rules.update(ctx.getBroadcastState(LiveRules.STATE), catalog);
    }

    @Override
    public void processElement(TelemetryPoint p, ReadOnlyContext ctx, Collector<PatternSignal> out)
        throws Exception {
      RuleCatalog catalog = rules.current(ctx.getBroadcastState(LiveRules.STATE));
      if (catalog != compiledFor) {
        compile(catalog);
      }
      List<Compiled> candidates = byTag.get(p.tag());
      if (candidates == null) {
        return;
      }
      long watermark = ctx.currentWatermark();
      boolean isLate = Math.floorDiv(p.tsMicros(), 1000L) <= watermark;
      for (Compiled c : candidates) {
        PatternParams params = c.params();
        if (!params.reads(p)) {
          continue;
        }
        if (isLate) {
          late.inc();
          if (Long.bitCount(late.getCount()) == 1) {
            LOG.warn(
                "pattern point late: pattern={}, device={}, tag={}, ts={}, watermark={},"
                    + " lateSoFar={}",
                params.name(),
                p.devicePath(),
                p.tag(),
                Math.floorDiv(p.tsMicros(), 1000L),
                watermark,
                late.getCount());
          }
          ctx.output(LATE_POINTS, LatePoint.of(JOB, "pattern-" + params.name(), p, watermark));
          continue;
        }
        SignalCondition met =
            params.first().test(p)
                ? params.first()
                : params.second().test(p) ? params.second() : null;
        if (met == null) {
          continue;
        }
        out.collect(
            new PatternSignal(
                params.name(),
                met == params.first(),
                p.site(),
                p.area(),
                p.line(),
                p.device(),
                met.toString(),
                p.value().asDouble(),
                p.value().asText(),
                met.threshold(),
                p.tsMicros(),
                params.within().toNanos() / 1000,
                params.holdOff().toNanos() / 1000,
                params.priority(),
                c.definition(),
                rules.version()));
      }
    }

    private void compile(RuleCatalog catalog) {
      Map<String, List<Compiled>> index = new HashMap<>();
      for (PatternParams params : catalog.patterns()) {
        Compiled c = new Compiled(params, definition(params));
        index.computeIfAbsent(params.first().tag(), k -> new ArrayList<>()).add(c);
        index.computeIfAbsent(params.second().tag(), k -> new ArrayList<>()).add(c);
      }
      byTag = index;
      compiledFor = catalog;
    }
  }

  /** A pattern in effect and its fingerprint. */
  private record Compiled(PatternParams params, int definition) {}

  /** A newer signal of the first signal's condition and definition. */
  private static final class SameSignal extends IterativeCondition<PatternSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(PatternSignal s, Context<PatternSignal> ctx) throws Exception {
      for (PatternSignal first : ctx.getEventsForPattern("first")) {
        return s.first() == first.first() && s.definition() == first.definition();
      }
      return false;
    }
  }

  /**
   * The second signal: the other condition of the same definition, less than the first signal's
   * window later.
   */
  private static final class OtherSignal extends IterativeCondition<PatternSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(PatternSignal s, Context<PatternSignal> ctx) throws Exception {
      for (PatternSignal first : ctx.getEventsForPattern("first")) {
        return s.first() != first.first()
            && s.definition() == first.definition()
            && s.tsMicros() - first.tsMicros() < first.withinMicros();
      }
      return false;
    }
  }

  /** A RAISED pattern alarm, when its first signal was, and its definition's hold-off. */
  public record Match(AlarmEvent alarm, long firstTsMicros, long holdOffMicros) {}

  /** Turns a match into a RAISED alarm. */
  private static final class Matched extends PatternProcessFunction<PatternSignal, Match> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processMatch(
        Map<String, List<PatternSignal>> match, Context ctx, Collector<Match> out) {
      PatternSignal a = match.get("first").get(0);
      PatternSignal b = match.get("second").get(0);
      String message =
          b.pattern()
              + ": "
              + a.condition()
              + " ("
              + a.valueText()
              + ") and "
              + b.condition()
              + " ("
              + b.valueText()
              + ") "
              + (b.tsMicros() - a.tsMicros()) / 1000
              + " ms apart, within "
              + Duration.ofNanos(a.withinMicros() * 1000);
      AlarmEvent alarm =
          AlarmEvent.of(
                  b.site(),
                  b.area(),
                  b.line(),
                  b.device(),
                  b.pattern(),
                  AlarmType.PATTERN,
                  b.priority(),
                  AlarmState.RAISED,
                  b.value(),
                  b.threshold(),
                  b.tsMicros(),
                  b.tsMicros(),
                  message)
              .withRulesVersion(b.rulesVersion());
      out.collect(new Match(alarm, a.tsMicros(), b.holdOffMicros()));
    }
  }

  /**
   * Per alarm key (device and pattern), in event-time order: drops a match that starts at or before
   * the end of the previous match (what CEP's skip-past-last-event would drop: one match per second
   * signal, and a first signal used once), then a match less than its hold-off after the previous
   * one passed, so a condition that keeps matching does not flood (counted in {@value
   * HoldOffFunction#SUPPRESSED_METRIC}).
   */
  private static final class HoldOff extends KeyedProcessFunction<String, Match, AlarmEvent> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> last;
    private transient ValueState<Long> lastEnd;
    private transient Counter suppressed;

    @Override
    public void open(OpenContext openContext) {
      last = getRuntimeContext().getState(new ValueStateDescriptor<>("lastRaised", Types.LONG));
      lastEnd =
          getRuntimeContext().getState(new ValueStateDescriptor<>("lastMatchEnd", Types.LONG));
      suppressed = getRuntimeContext().getMetricGroup().counter(HoldOffFunction.SUPPRESSED_METRIC);
    }

    @Override
    public void processElement(Match m, Context ctx, Collector<AlarmEvent> out) throws Exception {
      long ts = m.alarm().tsMicros();
      Long end = lastEnd.value();
      if (end != null && m.firstTsMicros() <= end) {
        return;
      }
      lastEnd.update(ts);
      Long previous = last.value();
      if (previous != null && ts - previous < m.holdOffMicros()) {
        suppressed.inc();
        return;
      }
      last.update(ts);
      out.collect(m.alarm());
    }
  }
}
