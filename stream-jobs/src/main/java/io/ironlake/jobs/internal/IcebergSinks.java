package io.ironlake.jobs.internal;

import io.ironlake.jobs.JobsConfig;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.TableSpec;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;

/** Appends a stream to an Ironlake table with Iceberg's Flink sink (commits on checkpoints). */
public final class IcebergSinks {
  private IcebergSinks() {}

  /** A loader of the catalog described by the config, named {@code ironlake}. */
  public static CatalogLoader catalogLoader(JobsConfig config) {
    Map<String, String> props = config.catalogProperties();
    return CatalogLoader.custom(
        LakehouseCatalog.CATALOG_NAME,
        props,
        new Configuration(),
        props.get(CatalogProperties.CATALOG_IMPL));
  }

  /** Flink's row type information for a table as the code defines it. */
  public static TypeInformation<RowData> rowType(TableSpec table) {
    return InternalTypeInfo.of(FlinkSchemaUtil.convert(table.schema()));
  }

  /**
   * Maps the stream to rows of the table and appends them; the table must exist. Operator uids
   * derive from {@code uid}, so state survives restarts from a savepoint. When the config gives the
   * table an indicator topic ({@link io.ironlake.jobs.IndicatorTopics#topicFor}), the same rows
   * also go there as JSON, exactly once ({@link IndicatorTopicSink}).
   */
  public static <T> DataStreamSink<RowData> append(
      DataStream<T> stream,
      MapFunction<T, RowData> toRow,
      TableSpec table,
      JobsConfig config,
      String uid) {
    return append(
        stream.map(toRow, rowType(table)).name(uid + "-rows").uid(uid + "-rows"),
        table,
        config,
        uid);
  }

  /**
   * Like {@link #append(DataStream, MapFunction, TableSpec, JobsConfig, String)}, but the rows and
   * the writer run in tasks of their own instead of being chained to the operator of {@code
   * stream}: at each checkpoint the writer flushes its Parquet files in its task thread, and
   * whatever else is chained to that operator (e.g. a Kafka sink of live alarms) would wait for it.
   */
  public static <T> DataStreamSink<RowData> appendInOwnTask(
      DataStream<T> stream,
      MapFunction<T, RowData> toRow,
      TableSpec table,
      JobsConfig config,
      String uid) {
    return append(
        stream.map(toRow, rowType(table)).name(uid + "-rows").uid(uid + "-rows").startNewChain(),
        table,
        config,
        uid);
  }

  private static DataStreamSink<RowData> append(
      DataStream<RowData> rows, TableSpec table, JobsConfig config, String uid) {
    config
        .indicatorTopics()
        .topicFor(table)
        .ifPresent(topic -> IndicatorTopicSink.add(rows, table, topic, config, uid));
    return IcebergSink.forRowData(rows)
        .tableLoader(TableLoader.fromCatalog(catalogLoader(config), table.identifier()))
        .writeParallelism(config.parallelism())
        .uidSuffix(uid)
        .setSnapshotProperty("ironlake.writer", uid)
        .append();
  }
}
