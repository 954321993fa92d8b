package io.ironlake.lakehouse.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * Every Ironlake table's definition, in one place. Schemas evolve additively: add new columns at
 * the end as optional, never rename, retype or remove one.
 */
public final class IronlakeTables {
  /** The namespace of Ironlake's tables. */
  public static final Namespace NAMESPACE = Namespace.of("ironlake");

  /**
   * Properties every table gets: format v2, Parquet with zstd, bounded metadata history, and more
   * commit retries than Iceberg's 4, since streaming sinks, maintenance and the gateway may commit
   * to one table at the same time.
   */
  public static final Map<String, String> COMMON_PROPERTIES =
      Map.of(
          TableProperties.FORMAT_VERSION, "2",
          TableProperties.DEFAULT_FILE_FORMAT, "parquet",
          TableProperties.PARQUET_COMPRESSION, "zstd",
          // Streaming jobs commit on every checkpoint; keep the metadata.json history bounded.
          TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
          TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100",
          TableProperties.COMMIT_NUM_RETRIES, "20");

  private static final Schema TELEMETRY_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "device", Types.StringType.get(), "device (machine) on the line"),
          required(5, "tag", Types.StringType.get(), "measured quantity, e.g. power_kw"),
          required(6, "ts", Types.TimestampType.withZone(), "source timestamp (event time)"),
          optional(7, "ingest_ts", Types.TimestampType.withZone(), "when the collector read it"),
          optional(8, "value_double", Types.DoubleType.get(), "value, if a double"),
          optional(9, "value_long", Types.LongType.get(), "value, if an integer"),
          optional(10, "value_bool", Types.BooleanType.get(), "value, if a boolean"),
          optional(11, "value_string", Types.StringType.get(), "value, if a string"),
          optional(12, "quality", Types.StringType.get(), "GOOD, UNCERTAIN or BAD"),
          optional(13, "status_code", Types.LongType.get(), "raw OPC UA status code"),
          optional(14, "unit", Types.StringType.get(), "engineering unit"),
          optional(15, "collector_id", Types.StringType.get(), "collector that read it"),
          optional(16, "source", Types.StringType.get(), "collector source it came from"),
          optional(17, "seq", Types.LongType.get(), "sequence number per collector and source"));

  /** Raw telemetry: one row per point, exactly once. */
  public static final TableSpec TELEMETRY =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "telemetry"),
          TELEMETRY_SCHEMA,
          PartitionSpec.builderFor(TELEMETRY_SCHEMA).day("ts").identity("site").build(),
          SortOrder.builderFor(TELEMETRY_SCHEMA).asc("device").asc("tag").asc("ts").build(),
          COMMON_PROPERTIES,
          "One telemetry point of one tag of one device at one time.");

  private static final Schema ENERGY_SCHEMA =
      new Schema(
          required(1, "site", Types.StringType.get(), "ISA-95 site"),
          required(2, "area", Types.StringType.get(), "ISA-95 area"),
          required(3, "line", Types.StringType.get(), "ISA-95 line"),
          required(4, "device", Types.StringType.get(), "device (machine) on the line"),
          required(5, "window_start", Types.TimestampType.withZone(), "window start, inclusive"),
          required(6, "window_end", Types.TimestampType.withZone(), "window end, exclusive"),
          required(7, "energy_kwh", Types.DoubleType.get(), "energy used in the window, kWh"),
          required(8, "readings", Types.IntegerType.get(), "meter readings in the window"),
          required(9, "meter_resets", Types.IntegerType.get(), "meter resets seen in the window"));

  /** Energy per device per minute, from cumulative meters. */
  public static final TableSpec ENERGY =
      new TableSpec(
          TableIdentifier.of(NAMESPACE, "energy"),
          ENERGY_SCHEMA,
          PartitionSpec.builderFor(ENERGY_SCHEMA).day("window_start").build(),
          SortOrder.builderFor(ENERGY_SCHEMA).asc("device").asc("window_start").build(),
          COMMON_PROPERTIES,
          "Energy used by one device in one one-minute window, from its cumulative meter.");

  private static final List<TableSpec> ALL = List.of(TELEMETRY, ENERGY);

  private IronlakeTables() {}

  /** Every table, in creation order. */
  public static List<TableSpec> all() {
    return ALL;
  }

  /** The table with this name in the Ironlake namespace. */
  public static TableSpec byName(String name) {
    return ALL.stream()
        .filter(spec -> spec.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Cannot find table "
                        + name
                        + ": known tables are "
                        + ALL.stream().map(TableSpec::name).toList()));
  }
}
