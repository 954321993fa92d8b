package io.ironlake.jobs.dataquality;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Data quality per device, tag and hour into {@code ironlake.data_quality}, and the completeness
 * ledger per collector source and hour into {@code ironlake.completeness}; see {@link
 * DataQualityWindow} and {@link CompletenessLedger}.
 */
public final class DataQualityJob {
  /** Uid prefix of the data-quality operators. */
  public static final String UID = "data-quality";

  /** Uid prefix of the completeness-ledger operators. */
  public static final String LEDGER_UID = "completeness";

  /** The window length of both. */
  public static final Duration WINDOW = Duration.ofHours(1);

  private DataQualityJob() {}

  /**
   * Points whose hour was already closed (behind the watermark) when they arrived: on the side
   * output of {@link #dataQualityRows}, not counted in any row.
   */
  public static final OutputTag<TelemetryPoint> LATE_POINTS =
      new OutputTag<>("data-quality-late-points", TelemetryPointTypeInfo.INSTANCE);

  /**
   * One row per device, tag and event-time hour with points, once the watermark passes it; points
   * of an hour already closed go to the side output {@link #LATE_POINTS}.
   */
  public static SingleOutputStreamOperator<DataQualityRow> dataQualityRows(
      DataStream<TelemetryPoint> points, RuleCatalog catalog) {
    return dataQualityRows(points, LiveRules.fixed(points.getExecutionEnvironment(), catalog));
  }

  /**
   * As {@link #dataQualityRows(DataStream, RuleCatalog)}; each hour is judged with the parameters
   * of the rules in effect when it closes ({@link HourlyQualityFunction}).
   */
  public static SingleOutputStreamOperator<DataQualityRow> dataQualityRows(
      DataStream<TelemetryPoint> points, LiveRules rules) {
    return points
        .keyBy(p -> p.devicePath() + '\u0000' + p.tag(), Types.STRING)
        .connect(rules.broadcast())
        .process(
            new HourlyQualityFunction(rules.initial()), TypeInformation.of(DataQualityRow.class))
        .name("data-quality-per-hour")
        // Not the window operator of the fixed-parameter version: its state is skipped.
        .uid(UID + "-live-per-hour");
  }

  /** One ledger row per collector source and event-time hour with points. */
  public static SingleOutputStreamOperator<CompletenessRow> completenessRows(
      DataStream<TelemetryPoint> points) {
    return points
        .map(
            p -> new SeqMark(p.collectorId(), p.source(), p.seq()),
            TypeInformation.of(SeqMark.class))
        .name("completeness-seqs")
        .uid(LEDGER_UID + "-seqs")
        .keyBy(m -> m.collectorId() + '\u0000' + m.source(), Types.STRING)
        .window(TumblingEventTimeWindows.of(WINDOW))
        .process(new LedgerWindow(), TypeInformation.of(CompletenessRow.class))
        .name("completeness-per-hour")
        .uid(LEDGER_UID + "-per-hour");
  }

  /** Adds both and their sinks; the tables must exist. */
  public static void addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
    addTo(points, config, null);
  }

  /**
   * Adds both and their sinks; points late for their hour go to {@code late} (when not null, for
   * {@code ironlake.late_points}). The ledger's late seqs are the same points (same hour, same
   * watermark), so they are kept once, from the data-quality operator.
   */
  public static void addTo(DataStream<TelemetryPoint> points, JobsConfig config, LatePoints late) {
    addTo(points, config, late, LiveRules.fromKafka(points.getExecutionEnvironment(), config, UID));
  }

  /**
   * As {@link #addTo(DataStream, JobsConfig, LatePoints)} with the given rules (e.g. {@link
   * LiveRules#fixed} where no rules topic is wanted).
   */
  public static void addTo(
      DataStream<TelemetryPoint> points, JobsConfig config, LatePoints late, LiveRules rules) {
    SingleOutputStreamOperator<DataQualityRow> rows = dataQualityRows(points, rules);
    if (late != null) {
      late.add(
          rows.getSideOutput(LATE_POINTS),
          "dataquality",
          "data-quality-per-hour",
          UID + "-per-hour");
    }
    IcebergSinks.append(rows, DataQualityJob::toRow, IronlakeTables.DATA_QUALITY, config, UID);
    IcebergSinks.append(
        completenessRows(points),
        DataQualityJob::toRow,
        IronlakeTables.COMPLETENESS,
        config,
        LEDGER_UID);
  }

  /** A row of {@code ironlake.data_quality}, in its column order. */
  public static RowData toRow(DataQualityRow r) {
    GenericRowData row = new GenericRowData(23);
    row.setField(0, StringData.fromString(r.site()));
    row.setField(1, StringData.fromString(r.area()));
    row.setField(2, StringData.fromString(r.line()));
    row.setField(3, StringData.fromString(r.device()));
    row.setField(4, StringData.fromString(r.tag()));
    row.setField(5, TelemetryRowMapper.timestamp(r.windowStartMicros()));
    row.setField(6, TelemetryRowMapper.timestamp(r.windowEndMicros()));
    row.setField(7, r.points());
    row.setField(8, r.expected());
    row.setField(9, r.completeness());
    row.setField(10, r.latencyP50Ms());
    row.setField(11, r.latencyP95Ms());
    row.setField(12, r.latencyP99Ms());
    row.setField(13, r.timeliness());
    row.setField(14, r.validity());
    row.setField(15, r.badShare());
    row.setField(16, r.duplicates());
    row.setField(17, r.gaps());
    row.setField(18, r.longestGapSeconds());
    row.setField(19, r.longestRunSeconds());
    row.setField(20, r.frozen());
    row.setField(21, r.score());
    row.setField(22, r.rulesVersion());
    return row;
  }

  /** A row of {@code ironlake.completeness}, in its column order. */
  public static RowData toRow(CompletenessRow r) {
    GenericRowData row = new GenericRowData(9);
    row.setField(0, StringData.fromString(r.collectorId()));
    row.setField(1, StringData.fromString(r.source()));
    row.setField(2, TelemetryRowMapper.timestamp(r.windowStartMicros()));
    row.setField(3, TelemetryRowMapper.timestamp(r.windowEndMicros()));
    row.setField(4, r.minSeq());
    row.setField(5, r.maxSeq());
    row.setField(6, r.received());
    row.setField(7, r.missing());
    row.setField(8, StringData.fromString(r.missingRanges()));
    return row;
  }

  /** Keeps the source's highest seq across windows, so seqs lost between hours are found. */
  private static final class LedgerWindow
      extends ProcessWindowFunction<SeqMark, CompletenessRow, String, TimeWindow> {
    private static final ValueStateDescriptor<Long> PREVIOUS_MAX =
        new ValueStateDescriptor<>("previous-max-seq", Types.LONG);

    @Override
    public void process(
        String key, Context ctx, Iterable<SeqMark> marks, Collector<CompletenessRow> out)
        throws Exception {
      SeqMark first = marks.iterator().next();
      long[] seqs =
          java.util.stream.StreamSupport.stream(marks.spliterator(), false)
              .mapToLong(SeqMark::seq)
              .toArray();
      ValueState<Long> previous = ctx.globalState().getState(PREVIOUS_MAX);
      CompletenessRow row =
          CompletenessLedger.compute(
              first.collectorId(),
              first.source(),
              ctx.window().getStart() * 1000L,
              ctx.window().getEnd() * 1000L,
              seqs,
              previous.value());
      Long prev = previous.value();
      previous.update(prev == null ? row.maxSeq() : Math.max(prev, row.maxSeq()));
      out.collect(row);
    }
  }
}
