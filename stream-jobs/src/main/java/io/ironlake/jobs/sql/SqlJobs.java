package io.ironlake.jobs.sql;

import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.sql.internal.SqlScript;
import io.ironlake.jobs.sql.internal.TelemetryFormatFactory;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Engineers' own streaming jobs in Flink SQL. Before the script runs, two things are registered:
 *
 * <ul>
 *   <li>the temporary table {@code telemetry}: {@code telemetry.v1} on Kafka, one row per point,
 *       with the columns of {@code ironlake.telemetry} plus {@code value} (the value as a DOUBLE,
 *       null for text) and a watermark on {@code ts} (milliseconds: Flink's event time has no finer
 *       precision);
 *   <li>the catalog {@code ironlake} (the lakehouse), so {@code ironlake.ironlake.my_table} is an
 *       Iceberg table the script can create and write.
 * </ul>
 *
 * <p>The script is statements separated by {@code ;}: DDL and views run at once, every {@code
 * INSERT INTO} becomes part of one streaming job.
 */
public final class SqlJobs {
  private SqlJobs() {}

  /** Adds the script's INSERT statements to {@code env} as one streaming pipeline. */
  public static void addTo(StreamExecutionEnvironment env, JobsConfig config, String script) {
    List<String> statements = SqlScript.split(script);
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    tables.getConfig().set("table.local-time-zone", "UTC");
    tables.executeSql(LakeSql.createCatalogDdl(config.catalogProperties()));
    tables.executeSql(telemetryTableDdl(config));
    StreamStatementSet inserts = tables.createStatementSet();
    int count = 0;
    for (int i = 0; i < statements.size(); i++) {
      String statement = statements.get(i);
      try {
        if (SqlScript.isInsert(statement)) {
          inserts.addInsertSql(statement);
          count++;
        } else {
          tables.executeSql(statement);
        }
      } catch (RuntimeException e) {
        throw new LakeSqlException(
            "Invalid SQL job: statement " + (i + 1) + " failed: " + LakeSql.describe(e), e);
      }
    }
    if (count == 0) {
      throw new LakeSqlException(
          "Invalid SQL job: expected at least one INSERT INTO statement, found none", null);
    }
    inserts.attachAsDataStream();
  }

  /** The {@code CREATE TEMPORARY TABLE telemetry} statement for this configuration. */
  public static String telemetryTableDdl(JobsConfig config) {
    long lateness = config.maxOutOfOrderness().toMillis();
    return "CREATE TEMPORARY TABLE telemetry ("
        + " site STRING, area STRING, line STRING, device STRING, tag STRING,"
        + " ts TIMESTAMP_LTZ(3), ingest_ts TIMESTAMP_LTZ(6), `value` DOUBLE,"
        + " value_double DOUBLE, value_long BIGINT, value_bool BOOLEAN, value_string STRING,"
        + " quality STRING, status_code BIGINT, unit STRING, collector_id STRING, source STRING,"
        + " seq BIGINT,"
        + " WATERMARK FOR ts AS ts - INTERVAL '"
        + String.format(java.util.Locale.ROOT, "%d.%03d", lateness / 1000, lateness % 1000)
        + "' SECOND"
        + ") WITH ("
        + " 'connector' = 'kafka',"
        + " 'topic' = '"
        + config.topic()
        + "', 'properties.bootstrap.servers' = '"
        + config.kafkaBootstrapServers()
        + "', 'properties.group.id' = '"
        + config.groupId()
        + "-sql', 'scan.startup.mode' = 'earliest-offset',"
        + " 'format' = '"
        + TelemetryFormatFactory.IDENTIFIER
        + "')";
  }
}
