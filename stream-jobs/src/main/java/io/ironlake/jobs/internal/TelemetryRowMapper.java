package io.ironlake.jobs.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.lakehouse.tables.IronlakeTables;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Maps a point to a row of {@code ironlake.telemetry}, in the column order of {@link
 * IronlakeTables#TELEMETRY}; exactly one value column is set, per the value's type.
 */
public final class TelemetryRowMapper implements MapFunction<TelemetryPoint, RowData> {
  private static final long serialVersionUID = 1L;

  /** Number of columns written. */
  public static final int ARITY = 17;

  @Override
  public RowData map(TelemetryPoint p) {
    GenericRowData row = new GenericRowData(ARITY);
    row.setField(0, StringData.fromString(p.site()));
    row.setField(1, StringData.fromString(p.area()));
    row.setField(2, StringData.fromString(p.line()));
    row.setField(3, StringData.fromString(p.device()));
    row.setField(4, StringData.fromString(p.tag()));
    row.setField(5, timestamp(p.tsMicros()));
    row.setField(6, timestamp(p.ingestTsMicros()));
    PointValue value = p.value();
    if (value instanceof PointValue.DoubleValue d) {
      row.setField(7, d.value());
    } else if (value instanceof PointValue.LongValue l) {
      row.setField(8, l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      row.setField(9, b.value());
    } else if (value instanceof PointValue.StringValue s) {
      row.setField(10, StringData.fromString(s.value()));
    }
    row.setField(11, StringData.fromString(p.quality().name()));
    row.setField(12, p.statusCode());
    row.setField(13, StringData.fromString(p.unit()));
    row.setField(14, StringData.fromString(p.collectorId()));
    row.setField(15, StringData.fromString(p.source()));
    row.setField(16, p.seq());
    return row;
  }

  /** A timestamp from microseconds since the epoch, for a {@code timestamptz} column. */
  public static TimestampData timestamp(long micros) {
    long millis = Math.floorDiv(micros, 1000L);
    int nanosOfMilli = (int) Math.floorMod(micros, 1000L) * 1000;
    return TimestampData.fromEpochMillis(millis, nanosOfMilli);
  }
}
