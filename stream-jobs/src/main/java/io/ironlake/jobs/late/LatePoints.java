package io.ironlake.jobs.late;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the late points of every event-time operator of a job graph (their side outputs) and
 * keeps them in one place, {@code ironlake.late_points}, through one Iceberg sink: exactly once,
 * with the same checkpoints as the indicators. Each is counted in the metric {@value #METRIC} of
 * its operator's {@code <job>-<operator>-late} step.
 *
 * <pre>{@code
 * LatePoints late = new LatePoints();
 * EnergyJob.addTo(points, config, late);   // each job adds its operators' side outputs
 * QualityJob.addTo(points, config, late);
 * late.addSink(config);                    // one sink for all of them
 * }</pre>
 */
public final class LatePoints {
  private static final Logger LOG = LoggerFactory.getLogger(LatePoints.class);

  /** Name of the counter of late points kept, per job and operator. */
  public static final String METRIC = "latePointsKept";

  /** Uid of the sink into {@code ironlake.late_points}. */
  public static final String SINK_UID = "late-points-table";

  private final List<DataStream<LatePoint>> streams = new ArrayList<>();

  /**
   * Keeps the late points of one operator: {@code late} must be that operator's side output (so the
   * watermark read here is the operator's own, forwarded with its records).
   *
   * @param job the job, e.g. {@code energy}
   * @param operator the operator's name, e.g. {@code energy-per-minute}
   * @param uid a uid unique in the graph, e.g. the operator's uid
   */
  public DataStream<LatePoint> add(
      DataStream<TelemetryPoint> late, String job, String operator, String uid) {
    DataStream<LatePoint> found =
        late.process(new Found(job, operator), TypeInformation.of(LatePoint.class))
            .name(job + "-" + operator + "-late")
            .uid(uid + "-late");
    streams.add(found);
    return found;
  }

  /**
   * Keeps late points already stamped with job, operator and watermark by their operator (which
   * counts and logs them itself), e.g. one operator that serves several patterns.
   */
  public DataStream<LatePoint> addStamped(DataStream<LatePoint> late) {
    streams.add(late);
    return late;
  }

  /** The late points gathered so far, one stream per operator. */
  public List<DataStream<LatePoint>> streams() {
    return List.copyOf(streams);
  }

  /**
   * Unions the gathered streams into one sink of {@code ironlake.late_points} (which must exist);
   * empty when no operator was added.
   */
  public Optional<DataStreamSink<RowData>> addSink(JobsConfig config) {
    if (streams.isEmpty()) {
      return Optional.empty();
    }
    DataStream<LatePoint> all = streams.get(0);
    for (int i = 1; i < streams.size(); i++) {
      all = all.union(streams.get(i));
    }
    return Optional.of(
        IcebergSinks.append(all, LatePoints::toRow, IronlakeTables.LATE_POINTS, config, SINK_UID));
  }

  /** A row of {@code ironlake.late_points}, in the column order of the table. */
  public static RowData toRow(LatePoint p) {
    GenericRowData row = new GenericRowData(18);
    row.setField(0, StringData.fromString(p.job()));
    row.setField(1, StringData.fromString(p.operator()));
    row.setField(2, StringData.fromString(p.site()));
    row.setField(3, StringData.fromString(p.area()));
    row.setField(4, StringData.fromString(p.line()));
    row.setField(5, StringData.fromString(p.device()));
    row.setField(6, StringData.fromString(p.tag()));
    row.setField(7, TelemetryRowMapper.timestamp(p.tsMicros()));
    row.setField(
        8,
        p.watermarkMillis() == Long.MIN_VALUE
            ? null
            : TelemetryRowMapper.timestamp(p.watermarkMillis() * 1000L));
    row.setField(9, p.valueDouble());
    row.setField(10, p.valueLong());
    row.setField(11, p.valueBool());
    row.setField(12, p.valueString() == null ? null : StringData.fromString(p.valueString()));
    row.setField(13, StringData.fromString(p.quality()));
    row.setField(14, TelemetryRowMapper.timestamp(p.ingestTsMicros()));
    row.setField(15, StringData.fromString(p.collectorId()));
    row.setField(16, StringData.fromString(p.source()));
    row.setField(17, p.seq());
    return row;
  }

  /** Stamps a late point with job, operator and the watermark, and counts it. */
  private static final class Found extends ProcessFunction<TelemetryPoint, LatePoint> {
    private static final long serialVersionUID = 1L;
    private final String job;
    private final String operator;
    private transient Counter kept;

    Found(String job, String operator) {
      this.job = job;
      this.operator = operator;
    }

    @Override
    public void open(OpenContext openContext) {
      kept = getRuntimeContext().getMetricGroup().counter(METRIC);
    }

    @Override
    public void processElement(TelemetryPoint p, Context ctx, Collector<LatePoint> out) {
      long watermark = ctx.timerService().currentWatermark();
      kept.inc();
      if (Long.bitCount(kept.getCount()) == 1) { // 1st, 2nd, 4th, ... to keep logs readable
        LOG.warn(
            "late point kept: job={}, operator={}, device={}, tag={}, ts={}, watermark={},"
                + " keptSoFar={}",
            job,
            operator,
            p.devicePath(),
            p.tag(),
            Math.floorDiv(p.tsMicros(), 1000L),
            watermark,
            kept.getCount());
      }
      out.collect(LatePoint.of(job, operator, p, watermark));
    }
  }
}
