package io.ironlake.jobs.energy;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.lakehouse.tables.IronlakeTables;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * Energy per device per minute from the cumulative meter tag {@value #METER_TAG} into {@code
 * ironlake.energy}; see {@link EnergyFunction} for how readings become energy.
 */
public final class EnergyJob {
  /** The tag of cumulative energy meters, in kWh. */
  public static final String METER_TAG = "energy_kwh";

  /** Uid prefix of this job's operators. */
  public static final String UID = "energy";

  private EnergyJob() {}

  /**
   * Energy rows from deduplicated points with watermarks. Only {@value #METER_TAG} points with a
   * finite numeric (double or long) value and a quality other than BAD count. Late readings are on
   * the side output {@link EnergyFunction#LATE_READINGS} of the returned stream.
   */
  public static SingleOutputStreamOperator<EnergyRow> energyRows(
      DataStream<TelemetryPoint> points) {
    return points
        .filter(EnergyJob::isMeterReading)
        .name("energy-meter-readings")
        .uid(UID + "-filter")
        .keyBy(TelemetryPoint::devicePath)
        .process(new EnergyFunction(), TypeInformation.of(EnergyRow.class))
        .name("energy-per-minute")
        .uid(UID + "-per-minute");
  }

  /** Adds the energy computation and its sink; {@code ironlake.energy} must exist. */
  public static DataStreamSink<RowData> addTo(
      DataStream<TelemetryPoint> points, JobsConfig config) {
    return addTo(points, config, null);
  }

  /**
   * Adds the energy computation and its sink; late readings go to {@code late} (when not null, for
   * {@code ironlake.late_points}).
   */
  public static DataStreamSink<RowData> addTo(
      DataStream<TelemetryPoint> points, JobsConfig config, LatePoints late) {
    SingleOutputStreamOperator<EnergyRow> rows = energyRows(points);
    if (late != null) {
      late.add(
          rows.getSideOutput(EnergyFunction.LATE_READINGS),
          UID,
          "energy-per-minute",
          UID + "-per-minute");
    }
    return IcebergSinks.append(rows, EnergyJob::toRow, IronlakeTables.ENERGY, config, UID);
  }

  /** Whether a point is a usable reading of an energy meter. */
  public static boolean isMeterReading(TelemetryPoint p) {
    if (!METER_TAG.equals(p.tag()) || p.quality() == Quality.BAD) {
      return false;
    }
    PointValue v = p.value();
    return (v instanceof PointValue.DoubleValue || v instanceof PointValue.LongValue)
        && Double.isFinite(v.asDouble());
  }

  /** A row of {@code ironlake.energy}, in the column order of {@link IronlakeTables#ENERGY}. */
  public static RowData toRow(EnergyRow e) {
    GenericRowData row = new GenericRowData(9);
    row.setField(0, StringData.fromString(e.site()));
    row.setField(1, StringData.fromString(e.area()));
    row.setField(2, StringData.fromString(e.line()));
    row.setField(3, StringData.fromString(e.device()));
    row.setField(4, TelemetryRowMapper.timestamp(e.windowStartMicros()));
    row.setField(5, TelemetryRowMapper.timestamp(e.windowEndMicros()));
    row.setField(6, e.energyKwh());
    row.setField(7, e.readings());
    row.setField(8, e.meterResets());
    return row;
  }
}
