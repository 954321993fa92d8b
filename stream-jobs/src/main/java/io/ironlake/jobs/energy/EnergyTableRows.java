package io.ironlake.jobs.energy;

import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.lakehouse.tables.IronlakeTables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/** The energy job's rows as Flink {@link RowData}, in their tables' column order; NaN as null. */
public final class EnergyTableRows {
  private EnergyTableRows() {}

  /** A row of {@link IronlakeTables#ENERGY}. */
  public static RowData toRow(EnergyRow e) {
    GenericRowData row = new GenericRowData(22);
    row.setField(0, StringData.fromString(e.site()));
    row.setField(1, StringData.fromString(e.area()));
    row.setField(2, StringData.fromString(e.line()));
    row.setField(3, StringData.fromString(e.device()));
    row.setField(4, TelemetryRowMapper.timestamp(e.windowStartMicros()));
    row.setField(5, TelemetryRowMapper.timestamp(e.windowEndMicros()));
    row.setField(6, e.energyKwh());
    row.setField(7, e.readings());
    row.setField(8, e.meterResets());
    row.setField(9, string(e.source()));
    row.setField(10, e.meterRollovers());
    row.setField(11, e.powerReadings());
    row.setField(12, e.powerGaps());
    row.setField(13, orNull(e.producingKwh()));
    row.setField(14, orNull(e.idleKwh()));
    row.setField(15, e.goodParts());
    row.setField(16, orNull(e.kwhPerGoodPart()));
    row.setField(17, orNull(e.co2eKg()));
    row.setField(18, orNull(e.baselineKwh()));
    row.setField(19, orNull(e.deviationKwh()));
    row.setField(20, orNull(e.deviationPct()));
    row.setField(21, e.rulesVersion());
    return row;
  }

  /** A row of {@link IronlakeTables#ENERGY_SHIFT}. */
  public static RowData toRow(EnergyShiftRow s) {
    GenericRowData row = new GenericRowData(20);
    row.setField(0, StringData.fromString(s.site()));
    row.setField(1, StringData.fromString(s.area()));
    row.setField(2, StringData.fromString(s.line()));
    row.setField(3, string(s.device()));
    row.setField(4, StringData.fromString(s.scope()));
    row.setField(5, StringData.fromString(s.shift()));
    row.setField(6, TelemetryRowMapper.timestamp(s.shiftStartMicros()));
    row.setField(7, TelemetryRowMapper.timestamp(s.shiftEndMicros()));
    row.setField(8, s.energyKwh());
    row.setField(9, orNull(s.producingKwh()));
    row.setField(10, orNull(s.idleKwh()));
    row.setField(11, s.goodParts());
    row.setField(12, orNull(s.kwhPerGoodPart()));
    row.setField(13, orNull(s.co2eKg()));
    row.setField(14, orNull(s.baselineKwh()));
    row.setField(15, orNull(s.deviationKwh()));
    row.setField(16, orNull(s.deviationPct()));
    row.setField(17, s.minutes());
    row.setField(18, s.devices());
    row.setField(19, s.rulesVersion());
    return row;
  }

  /** A row of {@link IronlakeTables#ENERGY_DEMAND}. */
  public static RowData toRow(EnergyDemandRow d) {
    GenericRowData row = new GenericRowData(11);
    row.setField(0, StringData.fromString(d.site()));
    row.setField(1, StringData.fromString(d.area()));
    row.setField(2, StringData.fromString(d.line()));
    row.setField(3, string(d.device()));
    row.setField(4, StringData.fromString(d.scope()));
    row.setField(5, TelemetryRowMapper.timestamp(d.intervalStartMicros()));
    row.setField(6, TelemetryRowMapper.timestamp(d.intervalEndMicros()));
    row.setField(7, d.energyKwh());
    row.setField(8, d.demandKw());
    row.setField(9, d.minutes());
    row.setField(10, d.rulesVersion());
    return row;
  }

  /** A row of {@link IronlakeTables#ENERGY_PEAK}. */
  public static RowData toRow(EnergyPeakRow p) {
    GenericRowData row = new GenericRowData(12);
    row.setField(0, StringData.fromString(p.site()));
    row.setField(1, StringData.fromString(p.area()));
    row.setField(2, StringData.fromString(p.line()));
    row.setField(3, string(p.device()));
    row.setField(4, StringData.fromString(p.scope()));
    row.setField(5, (int) p.dayEpochDay());
    row.setField(6, TelemetryRowMapper.timestamp(p.dayStartMicros()));
    row.setField(7, TelemetryRowMapper.timestamp(p.dayEndMicros()));
    row.setField(8, p.peakDemandKw());
    row.setField(9, TelemetryRowMapper.timestamp(p.peakIntervalStartMicros()));
    row.setField(10, p.intervals());
    row.setField(11, p.rulesVersion());
    return row;
  }

  private static StringData string(String s) {
    return s == null ? null : StringData.fromString(s);
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
