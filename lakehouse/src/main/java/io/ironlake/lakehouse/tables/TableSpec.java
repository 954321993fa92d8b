package io.ironlake.lakehouse.tables;

import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The definition of one Ironlake table: what {@code createMissingTables} creates and what writers
 * and readers agree on.
 *
 * @param identifier namespace and name, e.g. {@code ironlake.telemetry}
 * @param schema the columns (the field ids are reassigned by the catalog on creation)
 * @param partitionSpec how data files are partitioned
 * @param sortOrder the order rows are written and compacted in ({@link SortOrder#unsorted()} for
 *     none)
 * @param properties Iceberg table properties
 * @param description one sentence about what a row is
 */
public record TableSpec(
    TableIdentifier identifier,
    Schema schema,
    PartitionSpec partitionSpec,
    SortOrder sortOrder,
    Map<String, String> properties,
    String description) {

  public TableSpec {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(partitionSpec, "partitionSpec");
    Objects.requireNonNull(sortOrder, "sortOrder");
    properties = Map.copyOf(properties);
    Objects.requireNonNull(description, "description");
  }

  /** The table's name within its namespace, e.g. {@code telemetry}. */
  public String name() {
    return identifier.name();
  }
}
