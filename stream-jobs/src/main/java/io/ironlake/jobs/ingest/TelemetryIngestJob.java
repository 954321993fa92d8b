package io.ironlake.jobs.ingest;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.IcebergSinks;
import io.ironlake.jobs.internal.TelemetryRowMapper;
import io.ironlake.lakehouse.tables.IronlakeTables;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;

/**
 * Writes every deduplicated point to {@code ironlake.telemetry}. The Iceberg sink commits on each
 * checkpoint; with the source's offsets and the dedup state in the same checkpoint, each point
 * lands exactly once.
 */
public final class TelemetryIngestJob {
  /** Uid prefix of this job's operators. */
  public static final String UID = "ingest-telemetry";

  private TelemetryIngestJob() {}

  /** Adds the sink to a stream of deduplicated points; {@code ironlake.telemetry} must exist. */
  public static DataStreamSink<RowData> addTo(
      DataStream<TelemetryPoint> points, JobsConfig config) {
    return IcebergSinks.append(
        points, new TelemetryRowMapper(), IronlakeTables.TELEMETRY, config, UID);
  }
}
