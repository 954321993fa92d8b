package io.ironlake.jobs;

import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads a whole table of the local lakehouse, for assertions. */
public final class LakeReads {
  private LakeReads() {}

  /** Every row of the table's current snapshot. */
  public static List<Record> rows(Path dataDir, TableIdentifier id) {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      Table table = lake.load(id);
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
        it.forEach(r -> rows.add(r.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return rows;
    }
  }
}
