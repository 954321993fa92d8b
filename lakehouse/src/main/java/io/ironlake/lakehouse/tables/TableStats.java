package io.ironlake.lakehouse.tables;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Cheap progress numbers for tables: the rows committed so far, read from the current snapshot's
 * summary (no data file is opened). Keeps loaded tables and refreshes them on each call.
 */
public final class TableStats {
  private final Catalog catalog;
  private final Map<TableIdentifier, Table> tables = new ConcurrentHashMap<>();

  /** Stats over the tables of this catalog. */
  public TableStats(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Rows in the table's current snapshot ({@code total-records}); 0 when the table has no snapshot
   * yet or does not exist.
   */
  public long totalRecords(TableIdentifier identifier) {
    Table table = tables.get(identifier);
    try {
      if (table == null) {
        table = catalog.loadTable(identifier);
        tables.put(identifier, table);
      } else {
        table.refresh();
      }
    } catch (NoSuchTableException e) {
      tables.remove(identifier);
      return 0L;
    }
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return 0L;
    }
    String total = snapshot.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP);
    return total == null ? 0L : Long.parseLong(total);
  }
}
