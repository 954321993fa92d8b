package io.ironlake.jobs.safety;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.routing.PointRoute;
import io.ironlake.jobs.routing.RoutedPoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety job: limit, rate-of-change and frozen-value alarms per tag ({@link TagAlarmFunction}),
 * multi-signal patterns with Flink CEP ({@link PatternAlarms}), the alarm rate per line ({@link
 * AlarmRate}) into {@code ironlake.alarm_rate}, and the lifecycle with acknowledgements from the
 * command topic ({@link AlarmLifecycleFunction}) into {@code ironlake.alarms} and {@code
 * alarms.v1}.
 */
public final class SafetyJob {
  private static final Logger LOG = LoggerFactory.getLogger(SafetyJob.class);

  /** Uid prefix of this job's operators. */
  public static final String UID = "safety";

  /**
   * The points the tag alarms operator reads ({@link TagAlarmFunction#isInput}), for the router.
   */
  public static final PointRoute TAG_ALARMS_ROUTE =
      new PointRoute("tag-alarms", TagAlarmFunction::isInput);

  /** The points the pattern signals step reads ({@link PatternAlarms#isInput}), for the router. */
  public static final PointRoute PATTERNS_ROUTE =
      new PointRoute("patterns", PatternAlarms::isInput);

  /**
   * The longest watermark interval the safety job runs with: an event-time alarm (frozen value,
   * pattern, and every row of {@code ironlake.alarms}) is raised when the watermark passes its
   * point, so the interval adds up to itself to its latency (Flink's default is 200 ms). Limit and
   * rate-of-change alarms reach {@code alarms.v1} on the fast path, without waiting for it.
   */
  public static final Duration WATERMARK_INTERVAL = Duration.ofMillis(100);

  /**
   * The longest network buffer timeout on the fast path's exchanges (Kafka source, dedup, router,
   * tag alarms): a record waits up to this long in a half-full buffer at each (Flink's default,
   * kept on every other exchange, is 100 ms).
   */
  public static final Duration BUFFER_TIMEOUT = Duration.ofMillis(10);

  private SafetyJob() {}

  /**
   * Lowers the environment's watermark interval to at most {@link #WATERMARK_INTERVAL} (it applies
   * to every job sharing the environment), logging what it changed. The buffer timeout is lowered
   * per operator, on the fast path only ({@link #onFastPath}); a disabled one (-1, flush only full
   * buffers) is kept there too, with a WARN.
   */
  public static void tuneForLatency(StreamExecutionEnvironment env) {
    long watermark = env.getConfig().getAutoWatermarkInterval();
    // 0 disables periodic watermarks (batch execution): left alone.
    if (watermark > WATERMARK_INTERVAL.toMillis()) {
      env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL.toMillis());
      LOG.info(
          "safety job lowers the watermark interval: fromMs={}, toMs={}",
          watermark,
          WATERMARK_INTERVAL.toMillis());
    }
    if (env.getBufferTimeout() < 0) {
      // Flush only full buffers was chosen explicitly (-1): kept, but alarms may wait for them.
      LOG.warn(
          "safety job runs with the network buffer timeout disabled: alarms wait until a buffer"
              + " is full; set execution.buffer-timeout.interval to at most {} ms",
          BUFFER_TIMEOUT.toMillis());
    }
  }

  /**
   * Lowers the buffer timeout of {@code stream}'s operator and of every operator upstream of it to
   * at most {@link #BUFFER_TIMEOUT}, unless the environment's is disabled (-1). Only the exchanges
   * an alarm crosses pay for the short timeout (more, smaller buffers and a flusher waking every 10
   * ms per task); the others keep the environment's.
   */
  static void onFastPath(DataStream<?> stream) {
    if (stream.getExecutionEnvironment().getBufferTimeout() < 0) {
      return;
    }
    Deque<Transformation<?>> todo = new ArrayDeque<>(List.of(stream.getTransformation()));
    Set<Integer> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Transformation<?> t = todo.pop();
      if (!seen.add(t.getId())) {
        continue;
      }
      long own = t.getBufferTimeout();
      // -1 on a transformation: not set, the environment's applies.
      if (own < 0 || own > BUFFER_TIMEOUT.toMillis()) {
        t.setBufferTimeout(BUFFER_TIMEOUT.toMillis());
      }
      todo.addAll(t.getInputs());
    }
  }

  /**
   * RAISED and CLEARED events of every tag alarm and pattern the catalog defines (repeated pattern
   * matches within their hold-off removed). Late samples are on {@link
   * TagAlarmFunction#LATE_POINTS} of the tag alarms operator.
   */
  public static DataStream<AlarmEvent> alarmEvents(
      DataStream<TelemetryPoint> points, RuleCatalog catalog) {
    return alarmEvents(points, LiveRules.fixed(points.getExecutionEnvironment(), catalog));
  }

  /**
   * As {@link #alarmEvents(DataStream, RuleCatalog)}; the tag alarms and the patterns follow the
   * rules in effect as they change ({@link PatternAlarms}).
   */
  public static DataStream<AlarmEvent> alarmEvents(
      DataStream<TelemetryPoint> points, LiveRules rules) {
    return alarmEvents(points, rules, null);
  }

  /**
   * Like {@link #alarmEvents(DataStream, LiveRules)}; late points of the tag alarms and of every
   * pattern go to {@code late} (when not null, for {@code ironlake.late_points}).
   */
  public static DataStream<AlarmEvent> alarmEvents(
      DataStream<TelemetryPoint> points, LiveRules rules, LatePoints late) {
    return alarmEvents(RoutedPoints.unrouted(points), rules, late);
  }

  /**
   * As {@link #alarmEvents(DataStream, LiveRules, LatePoints)}: the tag alarms read the points of
   * {@link #TAG_ALARMS_ROUTE}, the patterns those of {@link #PATTERNS_ROUTE}.
   */
  public static DataStream<AlarmEvent> alarmEvents(
      RoutedPoints routed, LiveRules rules, LatePoints late) {
    return withPatterns(tagAlarms(routed, rules, late), routed, rules, late);
  }

  /**
   * The tag alarms operator ({@link TagAlarmFunction}) over the points of {@link
   * #TAG_ALARMS_ROUTE}: event-time events on its main output, the fast path on {@link
   * TagAlarmFunction#FAST_ALARMS}.
   */
  static SingleOutputStreamOperator<AlarmEvent> tagAlarms(
      RoutedPoints routed, LiveRules rules, LatePoints late) {
    SingleOutputStreamOperator<TelemetryPoint> signals =
        routed
            .of(TAG_ALARMS_ROUTE)
            .filter(QualityJob::isMeasurement)
            .name("safety-signals")
            .uid(UID + "-filter");
    onFastPath(signals);
    SingleOutputStreamOperator<AlarmEvent> tagAlarms =
        signals
            .keyBy(p -> p.devicePath() + '/' + p.tag())
            .connect(rules.broadcast())
            .process(new TagAlarmFunction(rules.initial()), TypeInformation.of(AlarmEvent.class))
            .name("tag-alarms")
            .uid(UID + "-tag-alarms")
            // Alarms are few: send each at once instead of waiting for the buffer to fill.
            .setBufferTimeout(0);
    if (late != null) {
      late.add(
          tagAlarms.getSideOutput(TagAlarmFunction.LATE_POINTS),
          UID,
          "tag-alarms",
          UID + "-tag-alarms");
    }
    return tagAlarms;
  }

  /** The tag alarms' event-time events with the pattern matches of the same points. */
  private static DataStream<AlarmEvent> withPatterns(
      SingleOutputStreamOperator<AlarmEvent> tagAlarms,
      RoutedPoints routed,
      LiveRules rules,
      LatePoints late) {
    SingleOutputStreamOperator<PatternSignal> signals =
        PatternAlarms.signals(routed.of(PATTERNS_ROUTE), rules, UID + "-patterns");
    if (late != null) {
      late.addStamped(signals.getSideOutput(PatternAlarms.LATE_POINTS));
    }
    return tagAlarms.union(PatternAlarms.matches(signals, UID + "-patterns"));
  }

  /**
   * Whether {@code alarms.v1} takes this event of the lifecycle: all but the RAISED and CLEARED
   * events of limit and rate-of-change alarms, which the fast path ({@link
   * TagAlarmFunction#FAST_ALARMS}) sends on arrival instead.
   */
  public static boolean isLiveFromLifecycle(AlarmEvent e) {
    return !(TagAlarmFunction.isFastType(e.type())
        && (e.state() == AlarmState.RAISED || e.state() == AlarmState.CLEARED));
  }

  /**
   * Adds the safety job and its sinks; the tables and both topics must exist. {@code moreAlarms}
   * (may be null) joins the lifecycle, rate and sinks, e.g. the SPC rule events of the quality job.
   */
  public static void addTo(
      StreamExecutionEnvironment env,
      DataStream<TelemetryPoint> points,
      DataStream<AlarmEvent> moreAlarms,
      JobsConfig config) {
    addTo(env, points, moreAlarms, config, null);
  }

  /**
   * Like {@link #addTo(StreamExecutionEnvironment, DataStream, DataStream, JobsConfig)}; late
   * points go to {@code late} (when not null, for {@code ironlake.late_points}).
   */
  public static void addTo(
      StreamExecutionEnvironment env,
      DataStream<TelemetryPoint> points,
      DataStream<AlarmEvent> moreAlarms,
      JobsConfig config,
      LatePoints late) {
    addTo(env, RoutedPoints.unrouted(points), moreAlarms, config, late);
  }

  /**
   * As {@link #addTo(StreamExecutionEnvironment, DataStream, DataStream, JobsConfig, LatePoints)},
   * reading the points of {@link #TAG_ALARMS_ROUTE} and {@link #PATTERNS_ROUTE}.
   */
  public static void addTo(
      StreamExecutionEnvironment env,
      RoutedPoints routed,
      DataStream<AlarmEvent> moreAlarms,
      JobsConfig config,
      LatePoints late) {
    LiveRules rules = LiveRules.fromKafka(env, config, UID);
    SingleOutputStreamOperator<AlarmEvent> tagAlarms = tagAlarms(routed, rules, late);
    DataStream<AlarmEvent> events = withPatterns(tagAlarms, routed, rules, late);
    if (moreAlarms != null) {
      events = events.union(moreAlarms);
    }
    IcebergSinks.append(
        AlarmRate.rows(events, rules, UID + "-flood"),
        SafetyJob::toRow,
        IronlakeTables.ALARM_RATE,
        config,
        UID + "-alarm-rate-table");
    DataStream<AlarmEvent> lifecycle =
        events
            .keyBy(AlarmEvent::key)
            .connect(AlarmKafka.commands(env, config).keyBy(c -> AlarmEvent.keyOfId(c.alarmId())))
            .process(new AlarmLifecycleFunction(), TypeInformation.of(AlarmEvent.class))
            .name("alarm-lifecycle")
            .uid(UID + "-lifecycle");
    // Not chained: the table writer's flush at each checkpoint would hold up the Kafka sink.
    IcebergSinks.appendInOwnTask(
        lifecycle, SafetyJob::toRow, IronlakeTables.ALARMS, config, UID + "-alarms-table");
    // alarms.v1: limit and rate-of-change events from the fast path, as their points arrive (no
    // wait for the watermark); every other event (patterns, frozen, SPC, acknowledgements) from
    // the lifecycle.
    lifecycle
        .filter(SafetyJob::isLiveFromLifecycle)
        .name("alarms-live-from-lifecycle")
        .uid(UID + "-live-from-lifecycle")
        .setBufferTimeout(0)
        .union(tagAlarms.getSideOutput(TagAlarmFunction.FAST_ALARMS))
        .sinkTo(AlarmKafka.sink(config))
        .name(config.alarmsTopic())
        .uid(UID + "-kafka");
  }

  /** A row of {@code ironlake.alarms}, in the column order of {@link IronlakeTables#ALARMS}. */
  public static RowData toRow(AlarmEvent e) {
    GenericRowData row = new GenericRowData(16);
    row.setField(0, StringData.fromString(e.alarmId()));
    row.setField(1, StringData.fromString(e.site()));
    row.setField(2, StringData.fromString(e.area()));
    row.setField(3, StringData.fromString(e.line()));
    row.setField(4, StringData.fromString(e.device()));
    row.setField(5, StringData.fromString(e.tag()));
    row.setField(6, StringData.fromString(e.type().name()));
    row.setField(7, StringData.fromString(e.priority().name()));
    row.setField(8, StringData.fromString(e.state().name()));
    row.setField(9, QualityJob.orNull(e.value()));
    row.setField(10, QualityJob.orNull(e.limit()));
    row.setField(11, TelemetryRowMapper.timestamp(e.tsMicros()));
    row.setField(12, TelemetryRowMapper.timestamp(e.raisedTsMicros()));
    row.setField(13, e.message() == null ? null : StringData.fromString(e.message()));
    row.setField(14, e.actor() == null ? null : StringData.fromString(e.actor()));
    row.setField(15, e.rulesVersion());
    return row;
  }

  /**
   * A row of {@code ironlake.alarm_rate}, in the column order of {@link IronlakeTables#ALARM_RATE}.
   */
  public static RowData toRow(AlarmRateRow r) {
    GenericRowData row = new GenericRowData(9);
    row.setField(0, StringData.fromString(r.site()));
    row.setField(1, StringData.fromString(r.area()));
    row.setField(2, StringData.fromString(r.line()));
    row.setField(3, TelemetryRowMapper.timestamp(r.windowStartMicros()));
    row.setField(4, TelemetryRowMapper.timestamp(r.windowEndMicros()));
    row.setField(5, r.alarms());
    row.setField(6, r.threshold());
    row.setField(7, r.flood());
    row.setField(8, r.rulesVersion());
    return row;
  }
}
