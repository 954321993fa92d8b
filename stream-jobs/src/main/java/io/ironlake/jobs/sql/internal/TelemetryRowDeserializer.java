package io.ironlake.jobs.sql.internal;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.codec.TelemetryCodecException;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes telemetry points into rows with the columns a SQL table declares, by name; skips (and
 * counts, with a WARN) bytes that are not a telemetry point.
 */
final class TelemetryRowDeserializer implements DeserializationSchema<RowData> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryRowDeserializer.class);

  private final String[] columns;
  private final TypeInformation<RowData> producedType;
  private transient long skipped;

  TelemetryRowDeserializer(List<String> columns, TypeInformation<RowData> producedType) {
    this.columns = columns.toArray(new String[0]);
    this.producedType = producedType;
    for (String column : this.columns) {
      if (!known(column)) {
        throw new IllegalArgumentException(
            "Invalid column "
                + column
                + " for format "
                + TelemetryFormatFactory.IDENTIFIER
                + ": expected columns of ironlake.telemetry or `value`");
      }
    }
  }

  @Override
  public RowData deserialize(byte[] message) {
    TelemetryPoint p;
    try {
      p = TelemetryCodec.decode(message);
    } catch (TelemetryCodecException e) {
      skipped++;
      LOG.warn("sql telemetry record skipped: reason={}, skippedSoFar={}", e.getMessage(), skipped);
      return null;
    }
    GenericRowData row = new GenericRowData(columns.length);
    for (int i = 0; i < columns.length; i++) {
      row.setField(i, field(p, columns[i]));
    }
    return row;
  }

  private static Object field(TelemetryPoint p, String column) {
    PointValue v = p.value();
    switch (column) {
      case "site":
        return StringData.fromString(p.site());
      case "area":
        return StringData.fromString(p.area());
      case "line":
        return StringData.fromString(p.line());
      case "device":
        return StringData.fromString(p.device());
      case "tag":
        return StringData.fromString(p.tag());
      case "ts":
        return TelemetryRowMapper.timestamp(p.tsMicros());
      case "ingest_ts":
        return TelemetryRowMapper.timestamp(p.ingestTsMicros());
      case "value":
        return v.isNumeric() ? v.asDouble() : null;
      case "value_double":
        return v instanceof PointValue.DoubleValue d ? d.value() : null;
      case "value_long":
        return v instanceof PointValue.LongValue l ? l.value() : null;
      case "value_bool":
        return v instanceof PointValue.BooleanValue b ? b.value() : null;
      case "value_string":
        return v instanceof PointValue.StringValue s ? StringData.fromString(s.value()) : null;
      case "quality":
        return StringData.fromString(p.quality().name());
      case "status_code":
        return p.statusCode();
      case "unit":
        return StringData.fromString(p.unit());
      case "collector_id":
        return StringData.fromString(p.collectorId());
      case "source":
        return StringData.fromString(p.source());
      case "seq":
        return p.seq();
      default:
        throw new IllegalStateException("Cannot read column " + column);
    }
  }

  private static boolean known(String column) {
    return List.of(
            "site",
            "area",
            "line",
            "device",
            "tag",
            "ts",
            "ingest_ts",
            "value",
            "value_double",
            "value_long",
            "value_bool",
            "value_string",
            "quality",
            "status_code",
            "unit",
            "collector_id",
            "source",
            "seq")
        .contains(column);
  }

  @Override
  public boolean isEndOfStream(RowData nextElement) {
    return false;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }
}
