package io.ironlake.jobs.sql.internal;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The Flink SQL format {@code 'format' = 'ironlake-telemetry'}: reads Ironlake's telemetry wire
 * format (a version byte and a Protobuf point) into rows, by column name.
 */
public final class TelemetryFormatFactory implements DeserializationFormatFactory {
  /** The format's name in a table's WITH clause. */
  public static final String IDENTIFIER = "ironlake-telemetry";

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
      DynamicTableFactory.Context context, ReadableConfig formatOptions) {
    return new DecodingFormat<>() {
      @Override
      public DeserializationSchema<RowData> createRuntimeDecoder(
          DynamicTableSource.Context sourceContext, DataType physicalDataType) {
        RowType rowType = (RowType) physicalDataType.getLogicalType();
        return new TelemetryRowDeserializer(
            rowType.getFieldNames(), sourceContext.createTypeInformation(physicalDataType));
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of();
  }
}
