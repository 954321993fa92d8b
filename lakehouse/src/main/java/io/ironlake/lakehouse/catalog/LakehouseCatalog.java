package io.ironlake.lakehouse.catalog;

import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ironlake's Iceberg catalog: by default a JDBC catalog on an embedded SQLite file with a local
 * warehouse folder; any other Iceberg catalog (REST, JDBC on PostgreSQL, Hive) and storage (S3)
 * through its properties alone.
 *
 * <pre>{@code
 * try (LakehouseCatalog lake = LakehouseCatalog.open(Path.of("data"))) {
 *   lake.createMissingTables();
 *   Table telemetry = lake.load(IronlakeTables.TELEMETRY.identifier());
 * }
 * }</pre>
 */
public final class LakehouseCatalog implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LakehouseCatalog.class);

  /**
   * The catalog's name. The JDBC catalog scopes its rows by this name, so Flink SQL's {@code CREATE
   * CATALOG} must use the same one.
   */
  public static final String CATALOG_NAME = "ironlake";

  /** The namespace that holds Ironlake's tables. */
  public static final Namespace NAMESPACE = IronlakeTables.NAMESPACE;

  /** SQLite waits this long for a lock held by another committer before failing. */
  public static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

  private final Catalog catalog;
  private final Map<String, String> properties;

  private LakehouseCatalog(Catalog catalog, Map<String, String> properties) {
    this.catalog = catalog;
    this.properties = properties;
  }

  /** Opens the default local catalog under {@code dataDir}, creating its folders if needed. */
  public static LakehouseCatalog open(Path dataDir) {
    return open(localProperties(dataDir));
  }

  /**
   * Opens a catalog from Iceberg catalog properties ({@code catalog-impl} or {@code type}, {@code
   * uri}, {@code warehouse}, {@code io-impl}, {@code jdbc.*}, {@code s3.*}, ...). This is the one
   * input: every other catalog or storage is a different map.
   */
  public static LakehouseCatalog open(Map<String, String> properties) {
    Map<String, String> props = normalize(properties);
    Catalog catalog = CatalogUtil.buildIcebergCatalog(CATALOG_NAME, props, new Configuration());
    LOG.info(
        "lakehouse catalog opened: name={}, impl={}, uri={}, warehouse={}",
        CATALOG_NAME,
        props.get(CatalogProperties.CATALOG_IMPL),
        props.get(CatalogProperties.URI),
        props.get(CatalogProperties.WAREHOUSE_LOCATION));
    return new LakehouseCatalog(catalog, Map.copyOf(props));
  }

  /**
   * The properties of the default local catalog: a JDBC catalog on {@code
   * <dataDir>/catalog/iceberg.db} (SQLite in WAL mode with a busy timeout, so several committers in
   * one JVM and readers in other processes can share it) and the warehouse {@code
   * <dataDir>/warehouse}. Creates both folders.
   */
  public static Map<String, String> localProperties(Path dataDir) {
    Path root = dataDir.toAbsolutePath().normalize();
    Path catalogDir = root.resolve("catalog");
    Path warehouse = root.resolve("warehouse");
    try {
      Files.createDirectories(catalogDir);
      Files.createDirectories(warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the lakehouse folders under " + root + ": " + e.getMessage(), e);
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put(CatalogProperties.CATALOG_IMPL, CatalogUtil.ICEBERG_CATALOG_JDBC);
    props.put(CatalogProperties.URI, "jdbc:sqlite:" + catalogDir.resolve("iceberg.db"));
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toUri().toString());
    // Passed to the SQLite driver as connection properties (the "jdbc." prefix is removed).
    props.put("jdbc.journal_mode", "WAL");
    props.put("jdbc.busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MS));
    props.put("jdbc.synchronous", "NORMAL");
    // V1 also stores views; the catalog creates its own tables on first use.
    props.put("jdbc.schema-version", "V1");
    props.put(CatalogProperties.CLIENT_POOL_SIZE, "2");
    return props;
  }

  /** The Iceberg catalog. */
  public Catalog catalog() {
    return catalog;
  }

  /**
   * The catalog's Iceberg properties, for Flink's {@code CatalogLoader.custom(...)} or a Flink SQL
   * {@code CREATE CATALOG ironlake WITH ('type'='iceberg', ...these...)}. They always name the
   * implementation with {@code catalog-impl}, never {@code type} (which Flink SQL uses itself).
   */
  public Map<String, String> properties() {
    return properties;
  }

  /** The catalog implementation class, as {@code CatalogLoader.custom} wants it. */
  public String catalogImpl() {
    return properties.get(CatalogProperties.CATALOG_IMPL);
  }

  /** Loads a table; throws Iceberg's {@code NoSuchTableException} if it does not exist. */
  public Table load(TableIdentifier identifier) {
    return catalog.loadTable(identifier);
  }

  /**
   * Creates the namespace and every table of {@link IronlakeTables#all()} that is missing, and adds
   * columns that the code defines but an existing table lacks (schemas evolve additively). Safe to
   * call from several processes: a table created concurrently by someone else counts as present.
   *
   * @return the identifiers of the tables this call created
   */
  public List<TableIdentifier> createMissingTables() {
    createNamespaceIfMissing();
    List<TableIdentifier> created = new ArrayList<>();
    for (TableSpec spec : IronlakeTables.all()) {
      if (catalog.tableExists(spec.identifier())) {
        addMissingColumns(spec);
        continue;
      }
      try {
        catalog
            .buildTable(spec.identifier(), spec.schema())
            .withPartitionSpec(spec.partitionSpec())
            .withSortOrder(spec.sortOrder())
            .withProperties(spec.properties())
            .create();
        created.add(spec.identifier());
        LOG.info("lakehouse table created: table={}", spec.identifier());
      } catch (AlreadyExistsException e) {
        LOG.debug("lakehouse table created concurrently: table={}", spec.identifier());
      }
    }
    return List.copyOf(created);
  }

  private void createNamespaceIfMissing() {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(NAMESPACE)) {
      try {
        namespaces.createNamespace(NAMESPACE);
        LOG.info("lakehouse namespace created: namespace={}", NAMESPACE);
      } catch (AlreadyExistsException e) {
        LOG.debug("lakehouse namespace created concurrently: namespace={}", NAMESPACE);
      }
    }
  }

  private void addMissingColumns(TableSpec spec) {
    Table table = catalog.loadTable(spec.identifier());
    Set<String> present =
        table.schema().columns().stream().map(Types.NestedField::name).collect(Collectors.toSet());
    List<String> missing =
        spec.schema().columns().stream()
            .map(Types.NestedField::name)
            .filter(name -> !present.contains(name))
            .toList();
    if (!missing.isEmpty()) {
      table.updateSchema().unionByNameWith(spec.schema()).commit();
      LOG.info("lakehouse table evolved: table={}, addedColumns={}", spec.identifier(), missing);
    }
  }

  @Override
  public void close() {
    if (catalog instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException e) {
        LOG.warn("lakehouse catalog close failed: name={}, error={}", CATALOG_NAME, e.toString());
      }
    }
  }

  private static Map<String, String> normalize(Map<String, String> properties) {
    Map<String, String> props = new LinkedHashMap<>(properties);
    String type = props.remove(CatalogUtil.ICEBERG_CATALOG_TYPE);
    if (type != null) {
      if (props.containsKey(CatalogProperties.CATALOG_IMPL)) {
        throw new IllegalArgumentException(
            "Invalid catalog properties: both type="
                + type
                + " and catalog-impl="
                + props.get(CatalogProperties.CATALOG_IMPL)
                + " are set; set one");
      }
      props.put(CatalogProperties.CATALOG_IMPL, implForType(type));
    }
    if (!props.containsKey(CatalogProperties.CATALOG_IMPL)) {
      throw new IllegalArgumentException(
          "Invalid catalog properties: neither catalog-impl nor type is set");
    }
    return props;
  }

  private static String implForType(String type) {
    return switch (type.toLowerCase(java.util.Locale.ROOT)) {
      case CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC -> CatalogUtil.ICEBERG_CATALOG_JDBC;
      case CatalogUtil.ICEBERG_CATALOG_TYPE_REST -> CatalogUtil.ICEBERG_CATALOG_REST;
      case CatalogUtil.ICEBERG_CATALOG_TYPE_HIVE -> CatalogUtil.ICEBERG_CATALOG_HIVE;
      case CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP -> CatalogUtil.ICEBERG_CATALOG_HADOOP;
      default ->
          throw new IllegalArgumentException(
              "Invalid value "
                  + type
                  + " for catalog property type: expected jdbc, rest, hive or hadoop,"
                  + " or set catalog-impl");
    };
  }
}
