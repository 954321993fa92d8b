package io.ironlake.jobs.energy;

import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.routing.PointRoute;
import io.ironlake.jobs.routing.RoutedPoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.data.RowData;

/**
 * The energy job: per device per minute into {@code ironlake.energy} ({@link EnergyFunction}), per
 * device and line per shift into {@code ironlake.energy_shift} ({@link EnergyShiftFunction}),
 * 15-minute demand into {@code ironlake.energy_demand} and its daily peak into {@code
 * ironlake.energy_peak} ({@link EnergyDemandFunction}), with parameters from {@link
 * RuleCatalog#energy}.
 */
public final class EnergyJob {
  /** The default tag of cumulative energy meters, in kWh. */
  public static final String METER_TAG = "energy_kwh";

  /** Uid prefix of this job's operators. */
  public static final String UID = "energy";

  /** The points the per-device minute operator reads ({@link #isEnergyInput}), for the router. */
  public static final PointRoute ROUTE = new PointRoute("energy", EnergyJob::isEnergyInput);

  private EnergyJob() {}

  /** Minute rows with the default catalog ({@link RuleCatalog#defaults()}). */
  public static SingleOutputStreamOperator<EnergyRow> energyRows(
      DataStream<TelemetryPoint> points) {
    return energyRows(points, RuleCatalog.defaults());
  }

  /**
   * Energy per device per minute from deduplicated points with watermarks: the meter, power, state
   * and good-count tags the catalog names, quality other than BAD. Late points are on the side
   * output {@link EnergyFunction#LATE_READINGS} of the returned stream.
   */
  public static SingleOutputStreamOperator<EnergyRow> energyRows(
      DataStream<TelemetryPoint> points, RuleCatalog catalog) {
    return energyRows(
        points,
        LiveRules.fixed(points.getExecutionEnvironment(), catalog),
        p -> isEnergyInput(p, catalog));
  }

  /**
   * As {@link #energyRows(DataStream, RuleCatalog)}, with the energy parameters of the rules in
   * effect as they change (from the next points on): every point that is not BAD reaches the
   * per-device operator, which drops on arrival those of tags the catalog in effect does not read.
   */
  public static SingleOutputStreamOperator<EnergyRow> energyRows(
      DataStream<TelemetryPoint> points, LiveRules rules) {
    return energyRows(points, rules, p -> p.quality() != Quality.BAD);
  }

  private static SingleOutputStreamOperator<EnergyRow> energyRows(
      DataStream<TelemetryPoint> points, LiveRules rules, FilterFunction<TelemetryPoint> inputs) {
    return points
        .filter(inputs)
        .name("energy-inputs")
        .uid(UID + "-filter")
        .keyBy(TelemetryPoint::devicePath)
        .connect(rules.broadcast())
        .process(new EnergyFunction(rules.initial()), TypeInformation.of(EnergyRow.class))
        .name("energy-per-device-minute")
        // Not the first version's "energy-per-minute": its state (meter readings only) is skipped.
        .uid(UID + "-device-minute");
  }

  /** Device and line rows per shift, from minute rows. */
  public static DataStream<EnergyShiftRow> shiftRows(
      DataStream<EnergyRow> minutes, RuleCatalog catalog) {
    return shiftRows(minutes, LiveRules.fixed(minutes.getExecutionEnvironment(), catalog));
  }

  /** Device and line rows per shift, with the shift calendars of the rules as they change. */
  public static DataStream<EnergyShiftRow> shiftRows(
      DataStream<EnergyRow> minutes, LiveRules rules) {
    return minutes
        .keyBy(EnergyRow::linePath)
        .connect(rules.broadcast())
        .process(new EnergyShiftFunction(rules.initial()), TypeInformation.of(EnergyShiftRow.class))
        .name("energy-per-shift")
        // Not the first version's "energy-shift" (no broadcast input): its state is skipped.
        .uid(UID + "-live-shift");
  }

  /**
   * Device and line 15-minute demand rows from minute rows; daily peaks on the side output {@link
   * EnergyDemandFunction#DAILY_PEAKS}.
   */
  public static SingleOutputStreamOperator<EnergyDemandRow> demandRows(
      DataStream<EnergyRow> minutes, RuleCatalog catalog) {
    return demandRows(minutes, LiveRules.fixed(minutes.getExecutionEnvironment(), catalog));
  }

  /** As {@link #demandRows(DataStream, RuleCatalog)}, with the rules as they change. */
  public static SingleOutputStreamOperator<EnergyDemandRow> demandRows(
      DataStream<EnergyRow> minutes, LiveRules rules) {
    return minutes
        .keyBy(EnergyRow::linePath)
        .connect(rules.broadcast())
        .process(
            new EnergyDemandFunction(rules.initial()), TypeInformation.of(EnergyDemandRow.class))
        .name("energy-demand")
        // Not the first version's "energy-demand" (no broadcast input): its state is skipped.
        .uid(UID + "-live-demand");
  }

  /**
   * Adds the energy computation and its four sinks; the tables must exist. The per-device minute
   * rows take their parameters from the rules topic ({@link LiveRules#fromKafka}) as they change.
   */
  public static DataStreamSink<RowData> addTo(
      DataStream<TelemetryPoint> points, JobsConfig config) {
    return addTo(points, config, null);
  }

  /**
   * As {@link #addTo(DataStream, JobsConfig)}; late points go to {@code late} (when not null, for
   * {@code ironlake.late_points}).
   */
  public static DataStreamSink<RowData> addTo(
      DataStream<TelemetryPoint> points, JobsConfig config, LatePoints late) {
    return addTo(RoutedPoints.unrouted(points), config, late);
  }

  /**
   * As {@link #addTo(DataStream, JobsConfig, LatePoints)}, reading the points of {@link #ROUTE}
   * (only those the catalog in effect names, when a router sends them).
   */
  public static DataStreamSink<RowData> addTo(
      RoutedPoints routed, JobsConfig config, LatePoints late) {
    DataStream<TelemetryPoint> points = routed.of(ROUTE);
    // Minute, shift and demand rows all follow the rules topic; a changed shift calendar applies
    // from the next shift that opens (a shift that changed its bounds mid-way has no clear total).
    LiveRules rules = LiveRules.fromKafka(points.getExecutionEnvironment(), config, UID);
    SingleOutputStreamOperator<EnergyRow> minutes = energyRows(points, rules);
    if (late != null) {
      late.add(
          minutes.getSideOutput(EnergyFunction.LATE_READINGS),
          UID,
          "energy-per-device-minute",
          UID + "-device-minute");
    }
    IcebergSinks.append(
        shiftRows(minutes, rules),
        EnergyTableRows::toRow,
        IronlakeTables.ENERGY_SHIFT,
        config,
        UID + "-shift-table");
    SingleOutputStreamOperator<EnergyDemandRow> demand = demandRows(minutes, rules);
    IcebergSinks.append(
        demand,
        EnergyTableRows::toRow,
        IronlakeTables.ENERGY_DEMAND,
        config,
        UID + "-demand-table");
    IcebergSinks.append(
        demand.getSideOutput(EnergyDemandFunction.DAILY_PEAKS),
        EnergyTableRows::toRow,
        IronlakeTables.ENERGY_PEAK,
        config,
        UID + "-peak-table");
    return IcebergSinks.append(minutes, EnergyJob::toRow, IronlakeTables.ENERGY, config, UID);
  }

  /** Whether a point is an input of the energy job for its device. */
  public static boolean isEnergyInput(TelemetryPoint p, RuleCatalog catalog) {
    return p.quality() != Quality.BAD && catalog.energy(p.devicePath()).reads(p.tag());
  }

  /** A row of {@code ironlake.energy}, in the column order of {@link IronlakeTables#ENERGY}. */
  public static RowData toRow(EnergyRow e) {
    return EnergyTableRows.toRow(e);
  }
}
