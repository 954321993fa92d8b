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
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
   * The longest watermark interval the safety job runs with: an alarm is raised in event time when
   * the watermark passes its point, so the interval adds up to itself to each alarm's latency
   * (Flink's default is 200 ms).
   */
  public static final Duration WATERMARK_INTERVAL = Duration.ofMillis(20);

  /**
   * The longest network buffer timeout the safety job runs with: a record waits up to this long in
   * a half-full buffer at each exchange between operators (Flink's default is 100 ms).
   */
  public static final Duration BUFFER_TIMEOUT = Duration.ofMillis(10);

  private SafetyJob() {}

  /**
   * Lowers the environment's watermark interval to at most {@link #WATERMARK_INTERVAL} and its
   * buffer timeout to at most {@link #BUFFER_TIMEOUT} (both apply to every job sharing the
   * environment), logging what it changed; longer ones would each add their length to the alarm
   * latency. A disabled buffer timeout (-1, flush only full buffers) is kept with a WARN.
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
    long buffer = env.getBufferTimeout();
    if (buffer < 0) {
      // Flush only full buffers was chosen explicitly (-1): kept, but alarms may wait for them.
      LOG.warn(
          "safety job runs with the network buffer timeout disabled: alarms wait until a buffer"
              + " is full; set execution.buffer-timeout.interval to at most {} ms",
          BUFFER_TIMEOUT.toMillis());
    } else if (buffer > BUFFER_TIMEOUT.toMillis()) {
      env.setBufferTimeout(BUFFER_TIMEOUT.toMillis());
      LOG.info(
          "safety job lowers the network buffer timeout: fromMs={}, toMs={}",
          buffer,
          BUFFER_TIMEOUT.toMillis());
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
    SingleOutputStreamOperator<AlarmEvent> tagAlarms =
        routed
            .of(TAG_ALARMS_ROUTE)
            .filter(QualityJob::isMeasurement)
            .name("safety-signals")
            .uid(UID + "-filter")
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
    SingleOutputStreamOperator<PatternSignal> signals =
        PatternAlarms.signals(routed.of(PATTERNS_ROUTE), rules, UID + "-patterns");
    if (late != null) {
      late.addStamped(signals.getSideOutput(PatternAlarms.LATE_POINTS));
    }
    DataStream<AlarmEvent> events =
        tagAlarms.union(PatternAlarms.matches(signals, UID + "-patterns"));
    return events;
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
    DataStream<AlarmEvent> events = alarmEvents(routed, rules, late);
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
    lifecycle.sinkTo(AlarmKafka.sink(config)).name(config.alarmsTopic()).uid(UID + "-kafka");
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
