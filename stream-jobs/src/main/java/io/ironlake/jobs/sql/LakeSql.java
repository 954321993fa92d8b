package io.ironlake.jobs.sql;

import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SQL statement in Flink SQL batch mode over the lakehouse, with the Iceberg catalog
 * registered as {@code ironlake} and made current (database {@code ironlake}), so both {@code
 * SELECT * FROM ironlake.telemetry} and {@code SELECT * FROM telemetry} work. Each call starts a
 * small local Flink cluster for the query (a few seconds).
 *
 * <pre>{@code
 * QueryResult r = LakeSql.query(Path.of("data"),
 *     "SELECT device, sum(energy_kwh) FROM ironlake.energy GROUP BY device");
 * }</pre>
 */
public final class LakeSql {
  private static final Logger LOG = LoggerFactory.getLogger(LakeSql.class);

  /** Rows returned at most by {@link #query(Path, String)}. */
  public static final int MAX_ROWS_DEFAULT = 100_000;

  private LakeSql() {}

  /** Runs the statement over the local lakehouse under {@code dataDir}; at most 100,000 rows. */
  public static QueryResult query(Path dataDir, String sql) {
    return query(LakehouseCatalog.localProperties(dataDir), sql, MAX_ROWS_DEFAULT);
  }

  /** Runs the statement over the local lakehouse under {@code dataDir}; at most maxRows rows. */
  public static QueryResult query(Path dataDir, String sql, int maxRows) {
    return query(LakehouseCatalog.localProperties(dataDir), sql, maxRows);
  }

  /**
   * Runs the statement over the catalog with these Iceberg properties (see {@link
   * LakehouseCatalog#properties()}), returning at most {@code maxRows} rows.
   *
   * @throws LakeSqlException if the statement does not parse, names an unknown table or column, or
   *     fails while running
   */
  public static QueryResult query(Map<String, String> catalogProperties, String sql, int maxRows) {
    if (sql == null || sql.isBlank()) {
      throw new LakeSqlException("Cannot run query: the statement is empty", null);
    }
    if (maxRows < 0) {
      throw new IllegalArgumentException(
          "Invalid value " + maxRows + " for maxRows: expected zero or more");
    }
    TableEnvironment tables = batchEnvironment();
    try {
      tables.executeSql(createCatalogDdl(catalogProperties));
    } catch (RuntimeException e) {
      throw new LakeSqlException("Cannot open the lakehouse catalog: " + describe(e), e);
    }
    tables.useCatalog(LakehouseCatalog.CATALOG_NAME);
    tables.useDatabase(LakehouseCatalog.NAMESPACE.level(0));
    String statement = stripTrailingSemicolon(sql);
    long started = System.nanoTime();
    try {
      TableResult result = tables.executeSql(statement);
      List<String> columns = result.getResolvedSchema().getColumnNames();
      List<List<Object>> rows = new ArrayList<>();
      try (CloseableIterator<Row> it = result.collect()) {
        while (rows.size() < maxRows && it.hasNext()) {
          Row row = it.next();
          List<Object> values = new ArrayList<>(row.getArity());
          for (int i = 0; i < row.getArity(); i++) {
            values.add(row.getField(i));
          }
          rows.add(values);
        }
      }
      LOG.debug(
          "lake sql done: rows={}, millis={}",
          rows.size(),
          (System.nanoTime() - started) / 1_000_000);
      return new QueryResult(columns, rows);
    } catch (LakeSqlException e) {
      throw e;
    } catch (Exception e) {
      String message = "Cannot run query: " + describe(e);
      if (message.contains("not found")) {
        message += knownTables(tables);
      }
      throw new LakeSqlException(message, e);
    }
  }

  private static String knownTables(TableEnvironment tables) {
    try {
      String database = LakehouseCatalog.NAMESPACE.level(0);
      return " (tables: "
          + String.join(
              ", ", Arrays.stream(tables.listTables()).map(t -> database + "." + t).toList())
          + ")";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static TableEnvironment batchEnvironment() {
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    return TableEnvironment.create(
        EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
  }

  /** The {@code CREATE CATALOG ironlake} statement for these Iceberg catalog properties. */
  public static String createCatalogDdl(Map<String, String> catalogProperties) {
    StringBuilder ddl =
        new StringBuilder("CREATE CATALOG ")
            .append(LakehouseCatalog.CATALOG_NAME)
            .append(" WITH ('type'='iceberg', 'default-database'='")
            .append(LakehouseCatalog.NAMESPACE.level(0))
            .append('\'');
    catalogProperties.entrySet().stream()
        .filter(e -> !e.getKey().equals("type"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                ddl.append(", ").append(quote(e.getKey())).append('=').append(quote(e.getValue())));
    return ddl.append(')').toString();
  }

  private static String quote(String s) {
    return '\'' + s.replace("'", "''") + '\'';
  }

  private static String stripTrailingSemicolon(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  /**
   * The useful part of Flink's error: the outermost message that is not a generic wrapper, plus the
   * root cause when it says more.
   */
  static String describe(Throwable e) {
    String top = firstLine(e.getMessage());
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootMessage = firstLine(root.getMessage());
    if (rootMessage.isEmpty() || top.contains(rootMessage)) {
      return top.isEmpty() ? root.getClass().getSimpleName() : top;
    }
    if (top.isEmpty()) {
      return rootMessage;
    }
    return top + ": " + rootMessage;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
