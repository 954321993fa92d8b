package io.ironlake.jobs.quality;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.routing.PointRoute;
import io.ironlake.jobs.routing.RoutedPoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.lakehouse.tables.IronlakeTables;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * The quality job: SPC per characteristic into {@code ironlake.spc} ({@link SpcFunction}) and OEE
 * per device and line per shift into {@code ironlake.oee} ({@link OeeFunction}, {@link
 * LineOeeFunction}), with parameters from the {@link RuleCatalog}.
 */
public final class QualityJob {
  /** Uid prefix of this job's operators. */
  public static final String UID = "quality";

  /** The points the SPC operator reads ({@link SpcFunction#isInput}), for the router. */
  public static final PointRoute SPC_ROUTE = new PointRoute("spc", SpcFunction::isInput);

  /** The points the OEE operator reads ({@link OeeFunction#isInput}), for the router. */
  public static final PointRoute OEE_ROUTE = new PointRoute("oee", OeeFunction::isInput);

  private QualityJob() {}

  /**
   * Adds SPC and OEE with their sinks; the tables must exist. Returns the SPC rule events (for the
   * safety job's alarm lifecycle, when it runs too).
   */
  public static DataStream<AlarmEvent> addTo(DataStream<TelemetryPoint> points, JobsConfig config) {
    return addTo(points, config, null);
  }

  /**
   * Adds SPC and OEE with their sinks, like {@link #addTo(DataStream, JobsConfig)}; late points of
   * both go to {@code late} (when not null, for {@code ironlake.late_points}).
   */
  public static DataStream<AlarmEvent> addTo(
      DataStream<TelemetryPoint> points, JobsConfig config, LatePoints late) {
    return addTo(RoutedPoints.unrouted(points), config, late);
  }

  /**
   * As {@link #addTo(DataStream, JobsConfig, LatePoints)}, SPC reading the points of {@link
   * #SPC_ROUTE} and OEE those of {@link #OEE_ROUTE}.
   */
  public static DataStream<AlarmEvent> addTo(
      RoutedPoints routed, JobsConfig config, LatePoints late) {
    DataStream<TelemetryPoint> points = routed.of(SPC_ROUTE);
    LiveRules rules = LiveRules.fromKafka(points.getExecutionEnvironment(), config, UID);
    SingleOutputStreamOperator<SpcRow> spc = spcRows(points, rules);
    IcebergSinks.append(spc, QualityJob::toRow, IronlakeTables.SPC, config, UID + "-spc-table");
    IcebergSinks.append(
        oeeRows(routed.of(OEE_ROUTE), rules, late),
        QualityJob::toRow,
        IronlakeTables.OEE,
        config,
        UID + "-oee-table");
    if (late != null) {
      late.add(spc.getSideOutput(SpcFunction.LATE_POINTS), UID, "spc", UID + "-spc");
    }
    return spc.getSideOutput(SpcFunction.RULE_EVENTS);
  }

  /**
   * One row per charted subgroup of every characteristic the catalog names; rule events on the side
   * output {@link SpcFunction#RULE_EVENTS}, late measurements on {@link SpcFunction#LATE_POINTS}.
   */
  public static SingleOutputStreamOperator<SpcRow> spcRows(
      DataStream<TelemetryPoint> points, RuleCatalog catalog) {
    return spcRows(points, LiveRules.fixed(points.getExecutionEnvironment(), catalog));
  }

  /** As {@link #spcRows(DataStream, RuleCatalog)}, with the rules in effect as they change. */
  public static SingleOutputStreamOperator<SpcRow> spcRows(
      DataStream<TelemetryPoint> points, LiveRules rules) {
    return points
        .filter(QualityJob::isMeasurement)
        .name("spc-measurements")
        .uid(UID + "-spc-filter")
        .keyBy(p -> p.devicePath() + '/' + p.tag())
        .connect(rules.broadcast())
        .process(new SpcFunction(rules.initial()), TypeInformation.of(SpcRow.class))
        .name("spc")
        .uid(UID + "-spc");
  }

  /** One row per device and shift and one per line and shift (device null, scope LINE). */
  public static DataStream<OeeRow> oeeRows(DataStream<TelemetryPoint> points, RuleCatalog catalog) {
    return oeeRows(points, LiveRules.fixed(points.getExecutionEnvironment(), catalog));
  }

  /** As {@link #oeeRows(DataStream, RuleCatalog)}, with the rules in effect as they change. */
  public static DataStream<OeeRow> oeeRows(DataStream<TelemetryPoint> points, LiveRules rules) {
    return oeeRows(points, rules, null);
  }

  /**
   * Like {@link #oeeRows(DataStream, LiveRules)}; late state and counter points go to {@code late}
   * (when not null).
   */
  public static DataStream<OeeRow> oeeRows(
      DataStream<TelemetryPoint> points, LiveRules rules, LatePoints late) {
    SingleOutputStreamOperator<OeeRow> devices =
        points
            .filter(p -> p.quality() != Quality.BAD)
            .name("oee-inputs")
            .uid(UID + "-oee-filter")
            .keyBy(TelemetryPoint::devicePath)
            .connect(rules.broadcast())
            .process(new OeeFunction(rules.initial()), TypeInformation.of(OeeRow.class))
            .name("oee-per-device")
            .uid(UID + "-oee-device");
    if (late != null) {
      late.add(devices.getSideOutput(OeeFunction.LATE_POINTS), UID, "oee-per-device", UID + "-oee");
    }
    DataStream<OeeRow> lines =
        devices
            .keyBy(r -> r.site() + '/' + r.area() + '/' + r.line())
            .process(new LineOeeFunction(), TypeInformation.of(OeeRow.class))
            .name("oee-per-line")
            .uid(UID + "-oee-line");
    return devices.union(lines);
  }

  /** A usable measurement: a finite double or long value, quality not BAD. */
  public static boolean isMeasurement(TelemetryPoint p) {
    PointValue v = p.value();
    return p.quality() != Quality.BAD
        && (v instanceof PointValue.DoubleValue || v instanceof PointValue.LongValue)
        && Double.isFinite(v.asDouble());
  }

  /** A row of {@code ironlake.spc}, in the column order of {@link IronlakeTables#SPC}. */
  public static RowData toRow(SpcRow r) {
    GenericRowData row = new GenericRowData(29);
    row.setField(0, StringData.fromString(r.site()));
    row.setField(1, StringData.fromString(r.area()));
    row.setField(2, StringData.fromString(r.line()));
    row.setField(3, StringData.fromString(r.device()));
    row.setField(4, StringData.fromString(r.characteristic()));
    row.setField(5, StringData.fromString(r.chart().name()));
    row.setField(6, r.subgroupIndex());
    row.setField(7, TelemetryRowMapper.timestamp(r.subgroupStartMicros()));
    row.setField(8, TelemetryRowMapper.timestamp(r.subgroupEndMicros()));
    row.setField(9, r.n());
    row.setField(10, r.mean());
    row.setField(11, r.range());
    row.setField(12, r.stddev());
    row.setField(13, orNull(r.centerLine()));
    row.setField(14, orNull(r.ucl()));
    row.setField(15, orNull(r.lcl()));
    row.setField(16, orNull(r.dispersionCenter()));
    row.setField(17, orNull(r.dispersionUcl()));
    row.setField(18, orNull(r.dispersionLcl()));
    row.setField(19, StringData.fromString(r.limitsSource()));
    row.setField(20, orNull(r.lsl()));
    row.setField(21, orNull(r.usl()));
    row.setField(22, orNull(r.cp()));
    row.setField(23, orNull(r.cpk()));
    row.setField(24, r.capabilitySubgroups());
    row.setField(25, StringData.fromString(r.violatedRules()));
    row.setField(26, r.dispersionOutOfLimits());
    row.setField(27, r.inControl());
    row.setField(28, r.rulesVersion());
    return row;
  }

  /** A row of {@code ironlake.oee}, in the column order of {@link IronlakeTables#OEE}. */
  public static RowData toRow(OeeRow r) {
    GenericRowData row = new GenericRowData(24);
    row.setField(0, StringData.fromString(r.site()));
    row.setField(1, StringData.fromString(r.area()));
    row.setField(2, StringData.fromString(r.line()));
    row.setField(3, r.device() == null ? null : StringData.fromString(r.device()));
    row.setField(4, StringData.fromString(r.scope()));
    row.setField(5, StringData.fromString(r.shift()));
    row.setField(6, TelemetryRowMapper.timestamp(r.shiftStartMicros()));
    row.setField(7, TelemetryRowMapper.timestamp(r.shiftEndMicros()));
    row.setField(8, orNull(r.availability()));
    row.setField(9, orNull(r.performance()));
    row.setField(10, orNull(r.quality()));
    row.setField(11, orNull(r.oee()));
    row.setField(12, r.good());
    row.setField(13, r.total());
    row.setField(14, r.scrap());
    row.setField(15, orNull(r.quality()));
    row.setField(16, r.runSeconds());
    row.setField(17, r.idleSeconds());
    row.setField(18, r.downSeconds());
    row.setField(19, r.plannedSeconds());
    row.setField(20, r.plannedProductionSeconds());
    row.setField(21, orNull(r.idealCycleSeconds()));
    row.setField(22, r.devices());
    row.setField(23, r.rulesVersion());
    return row;
  }

  /** A nullable double column: NaN (unknown) becomes null. */
  public static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
