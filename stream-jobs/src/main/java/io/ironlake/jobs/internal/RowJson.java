package io.ironlake.jobs.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ironlake.lakehouse.tables.TableSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/**
 * A table's {@link RowData} as one JSON object, driven by the table's schema: one member per column
 * in column order, named as the column; strings, numbers and booleans as such, {@code timestamptz}
 * as ISO-8601 UTC ({@code 2025-03-04T13:31:00Z}), {@code date} as {@code 2025-03-04}, null as null.
 * A column added to the table appears without more code. The key is the row's ISA-95 path: {@code
 * site/area/line/device}, or {@code site/area/line} when the device is null.
 */
public final class RowJson implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();
  private static final List<String> PATH = List.of("site", "area", "line", "device");

  private final String table;
  private final String[] names;
  private final LogicalTypeRoot[] types;
  private final int[] pathFields;

  /** A serializer for rows of {@code table} in the column order of its schema. */
  public RowJson(TableSpec table) {
    this.table = table.name();
    RowType rowType = FlinkSchemaUtil.convert(table.schema());
    int n = rowType.getFieldCount();
    names = rowType.getFieldNames().toArray(new String[0]);
    types = new LogicalTypeRoot[n];
    for (int i = 0; i < n; i++) {
      LogicalType type = rowType.getTypeAt(i);
      types[i] = type.getTypeRoot();
      if (!supported(types[i])) {
        throw new IllegalArgumentException(
            "Cannot write table "
                + table.name()
                + " as JSON: column "
                + names[i]
                + " has type "
                + type
                + ", expected string, boolean, int, long, float, double, date or timestamp");
      }
    }
    List<Integer> path = new ArrayList<>();
    for (String column : PATH) {
      int i = rowType.getFieldIndex(column);
      if (i >= 0) {
        path.add(i);
      }
    }
    pathFields = path.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The table this serializer is for. */
  public String table() {
    return table;
  }

  /** The row as a JSON object in UTF-8. */
  public byte[] toJson(RowData row) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      for (int i = 0; i < names.length; i++) {
        g.writeFieldName(names[i]);
        if (row.isNullAt(i)) {
          g.writeNull();
          continue;
        }
        switch (types[i]) {
          case CHAR, VARCHAR -> g.writeString(row.getString(i).toString());
          case BOOLEAN -> g.writeBoolean(row.getBoolean(i));
          case INTEGER -> g.writeNumber(row.getInt(i));
          case BIGINT -> g.writeNumber(row.getLong(i));
          case FLOAT -> g.writeNumber(row.getFloat(i));
          case DOUBLE -> g.writeNumber(row.getDouble(i));
          case DATE -> g.writeString(LocalDate.ofEpochDay(row.getInt(i)).toString());
          case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_WITHOUT_TIME_ZONE ->
              g.writeString(row.getTimestamp(i, 6).toInstant().toString());
          default -> throw new IllegalStateException("unreachable: " + types[i]);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a row of " + table + " as JSON", e);
    }
    return bytes.toByteArray();
  }

  /** The row's ISA-95 path (its non-null site, area, line and device, joined by '/'), UTF-8. */
  public byte[] key(RowData row) {
    StringBuilder key = new StringBuilder();
    for (int i : pathFields) {
      if (!row.isNullAt(i)) {
        if (key.length() > 0) {
          key.append('/');
        }
        key.append(row.getString(i).toString());
      }
    }
    return key.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static boolean supported(LogicalTypeRoot root) {
    return switch (root) {
      case CHAR,
          VARCHAR,
          BOOLEAN,
          INTEGER,
          BIGINT,
          FLOAT,
          DOUBLE,
          DATE,
          TIMESTAMP_WITH_LOCAL_TIME_ZONE,
          TIMESTAMP_WITHOUT_TIME_ZONE ->
          true;
      default -> false;
    };
  }
}
