package io.ironlake.lakehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.RecordAppender;
import io.ironlake.lakehouse.tables.TableStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseCatalogTest {
  @TempDir Path dataDir;

  @Test
  void createsTablesOnceUnderTheDataDir() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      assertThat(lake.createMissingTables())
          .containsExactly(
              IronlakeTables.TELEMETRY.identifier(),
              IronlakeTables.ENERGY.identifier(),
              IronlakeTables.SPC.identifier(),
              IronlakeTables.OEE.identifier(),
              IronlakeTables.ALARMS.identifier(),
              IronlakeTables.ALARM_RATE.identifier(),
              IronlakeTables.DATA_QUALITY.identifier(),
              IronlakeTables.COMPLETENESS.identifier(),
              IronlakeTables.ENERGY_SHIFT.identifier(),
              IronlakeTables.ENERGY_DEMAND.identifier(),
              IronlakeTables.ENERGY_PEAK.identifier(),
              IronlakeTables.LATE_POINTS.identifier());
      assertThat(lake.createMissingTables()).isEmpty();
    }
    assertThat(dataDir.resolve("catalog/iceberg.db")).isRegularFile();
    try (LakehouseCatalog reopened = LakehouseCatalog.open(dataDir)) {
      assertThat(reopened.createMissingTables()).isEmpty();
      Table telemetry = reopened.load(TableIdentifier.of("ironlake", "telemetry"));
      assertThat(telemetry.location()).startsWith(dataDir.resolve("warehouse").toUri().toString());
      assertThat(Files.isDirectory(dataDir.resolve("warehouse/ironlake/telemetry/metadata")))
          .isTrue();
    }
  }

  @Test
  void telemetryTableIsDefinedAsSpecified() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      Table table = lake.load(IronlakeTables.TELEMETRY.identifier());

      assertThat(columns(table.schema()))
          .containsExactly(
              "site string required",
              "area string required",
              "line string required",
              "device string required",
              "tag string required",
              "ts timestamptz required",
              "ingest_ts timestamptz optional",
              "value_double double optional",
              "value_long long optional",
              "value_bool boolean optional",
              "value_string string optional",
              "quality string optional",
              "status_code long optional",
              "unit string optional",
              "collector_id string optional",
              "source string optional",
              "seq long optional");
      assertThat(table.spec().fields())
          .extracting(f -> f.name() + ":" + f.transform())
          .containsExactly("ts_day:day", "site:identity");
      assertThat(table.sortOrder().fields())
          .extracting(f -> table.schema().findColumnName(f.sourceId()))
          .containsExactly("device", "tag", "ts");
      assertFormatV2ParquetZstd(table);
    }
  }

  @Test
  void energyTableIsDefinedAsSpecified() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      Table table = lake.load(IronlakeTables.ENERGY.identifier());

      assertThat(columns(table.schema()))
          .containsExactly(
              "site string required",
              "area string required",
              "line string required",
              "device string required",
              "window_start timestamptz required",
              "window_end timestamptz required",
              "energy_kwh double required",
              "readings int required",
              "meter_resets int required",
              "source string optional",
              "meter_rollovers int optional",
              "power_readings int optional",
              "power_gaps int optional",
              "producing_kwh double optional",
              "idle_kwh double optional",
              "good_parts long optional",
              "kwh_per_good_part double optional",
              "co2e_kg double optional",
              "baseline_kwh double optional",
              "deviation_kwh double optional",
              "deviation_pct double optional",
              "rules_version long optional");
      assertThat(table.spec().fields())
          .extracting(f -> f.name() + ":" + f.transform())
          .containsExactly("window_start_day:day");
      assertFormatV2ParquetZstd(table);
      for (var spec :
          List.of(
              IronlakeTables.ENERGY_SHIFT,
              IronlakeTables.ENERGY_DEMAND,
              IronlakeTables.ENERGY_PEAK)) {
        Table t = lake.load(spec.identifier());
        assertThat(columns(t.schema()))
            .as(spec.name())
            .startsWith(
                "site string required",
                "area string required",
                "line string required",
                "device string optional",
                "scope string required");
        assertFormatV2ParquetZstd(t);
      }
      assertThat(columns(lake.load(IronlakeTables.ENERGY_PEAK.identifier()).schema()))
          .contains("day date required", "peak_demand_kw double required");
    }
  }

  @Test
  void energyRowsOfTheFirstSchemaStayReadableAfterTheNewColumnsAreAdded() throws Exception {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      // The energy table as the first version created it: nine columns, one row in it.
      Schema first =
          new Schema(
              IronlakeTables.ENERGY
                  .schema()
                  .columns()
                  .subList(0, 9)
                  .toArray(Types.NestedField[]::new));
      lake.createMissingTables();
      lake.catalog().dropTable(IronlakeTables.ENERGY.identifier(), true);
      Table old =
          lake.catalog()
              .createTable(
                  IronlakeTables.ENERGY.identifier(), first, IronlakeTables.ENERGY.partitionSpec());
      GenericRecord r = GenericRecord.create(first);
      OffsetDateTime start = OffsetDateTime.of(2025, 3, 4, 8, 0, 0, 0, ZoneOffset.UTC);
      r.setField("site", "plant-sh");
      r.setField("area", "utilities");
      r.setField("line", "line-1");
      r.setField("device", "press-1");
      r.setField("window_start", start);
      r.setField("window_end", start.plusMinutes(1));
      r.setField("energy_kwh", 1.25);
      r.setField("readings", 3);
      r.setField("meter_resets", 0);
      RecordAppender.append(old, List.of(r));

      assertThat(lake.createMissingTables()).isEmpty();

      Table evolved = lake.load(IronlakeTables.ENERGY.identifier());
      assertThat(evolved.schema().columns())
          .hasSize(IronlakeTables.ENERGY.schema().columns().size());
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(evolved).build()) {
        it.forEach(rows::add);
      }
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).getField("energy_kwh")).isEqualTo(1.25);
      assertThat(rows.get(0).getField("device")).isEqualTo("press-1");
      assertThat(rows.get(0).getField("co2e_kg")).isNull();
      assertThat(rows.get(0).getField("source")).isNull();
    }
  }

  @Test
  void qualityAndSafetyTablesAreDefinedAsSpecified() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      Table spc = lake.load(IronlakeTables.SPC.identifier());
      assertThat(columns(spc.schema()))
          .containsExactly(
              "site string required",
              "area string required",
              "line string required",
              "device string required",
              "characteristic string required",
              "chart string required",
              "subgroup_index long required",
              "subgroup_start timestamptz required",
              "subgroup_end timestamptz required",
              "n int required",
              "mean double required",
              "range double required",
              "stddev double required",
              "center_line double optional",
              "ucl double optional",
              "lcl double optional",
              "dispersion_center double optional",
              "dispersion_ucl double optional",
              "dispersion_lcl double optional",
              "limits_source string optional",
              "lsl double optional",
              "usl double optional",
              "cp double optional",
              "cpk double optional",
              "capability_subgroups int optional",
              "violated_rules string optional",
              "dispersion_out_of_limits boolean optional",
              "in_control boolean optional",
              "rules_version long optional");
      assertThat(spc.spec().fields())
          .extracting(f -> f.name() + ":" + f.transform())
          .containsExactly("subgroup_start_day:day");

      Table oee = lake.load(IronlakeTables.OEE.identifier());
      assertThat(columns(oee.schema()))
          .containsExactly(
              "site string required",
              "area string required",
              "line string required",
              "device string optional",
              "scope string required",
              "shift string required",
              "shift_start timestamptz required",
              "shift_end timestamptz required",
              "availability double optional",
              "performance double optional",
              "quality double optional",
              "oee double optional",
              "good long optional",
              "total long optional",
              "scrap long optional",
              "first_pass_yield double optional",
              "run_seconds double optional",
              "idle_seconds double optional",
              "down_seconds double optional",
              "planned_seconds double optional",
              "planned_production_seconds double optional",
              "ideal_cycle_seconds double optional",
              "devices int optional",
              "rules_version long optional");
      assertThat(oee.spec().fields())
          .extracting(f -> f.name() + ":" + f.transform())
          .containsExactly("shift_start_day:day");

      Table alarms = lake.load(IronlakeTables.ALARMS.identifier());
      assertThat(columns(alarms.schema()))
          .containsExactly(
              "alarm_id string required",
              "site string required",
              "area string required",
              "line string required",
              "device string required",
              "tag string required",
              "type string required",
              "priority string required",
              "state string required",
              "measured_value double optional",
              "limit_value double optional",
              "ts timestamptz required",
              "raised_ts timestamptz required",
              "message string optional",
              "actor string optional",
              "rules_version long optional");
      assertThat(alarms.spec().fields())
          .extracting(f -> f.name() + ":" + f.transform())
          .containsExactly("ts_day:day");

      Table rate = lake.load(IronlakeTables.ALARM_RATE.identifier());
      assertThat(columns(rate.schema()))
          .containsExactly(
              "site string required",
              "area string required",
              "line string required",
              "window_start timestamptz required",
              "window_end timestamptz required",
              "alarms int required",
              "threshold int required",
              "flood boolean required",
              "rules_version long optional");
      for (Table t : List.of(spc, oee, alarms, rate)) {
        assertFormatV2ParquetZstd(t);
      }
      assertThat(IronlakeTables.byName("alarm_rate")).isSameAs(IronlakeTables.ALARM_RATE);
    }
  }

  @Test
  void aRowWrittenWithTheGenericWriterReadsBackAndIsCounted() throws Exception {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      TableStats stats = new TableStats(lake.catalog());
      TableIdentifier id = IronlakeTables.TELEMETRY.identifier();
      assertThat(stats.totalRecords(id)).isZero();

      Table table = lake.load(id);
      Record row = telemetryRow(table.schema(), "press-1", 7L);
      assertThat(RecordAppender.append(table, List.of(row))).isEqualTo(1);

      table.refresh();
      List<Record> read = new ArrayList<>();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
        rows.forEach(read::add);
      }
      assertThat(read).hasSize(1);
      Record back = read.get(0);
      for (Types.NestedField field : table.schema().columns()) {
        assertThat(back.getField(field.name()))
            .as(field.name())
            .isEqualTo(row.getField(field.name()));
      }
      assertThat(stats.totalRecords(id)).isEqualTo(1);
      assertThat(table.currentSnapshot().addedDataFiles(table.io()))
          .singleElement()
          .satisfies(f -> assertThat(f.location()).contains("ts_day=2025-03-04/site=plant-sh"));
    }
  }

  @Test
  void concurrentCommittersInOneJvmAllSucceed() throws Exception {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir);
        LakehouseCatalog other = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      TableIdentifier id = IronlakeTables.TELEMETRY.identifier();
      int writers = 4;
      int commitsEach = 5;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          LakehouseCatalog catalog = w % 2 == 0 ? lake : other;
          String device = "dev-" + w;
          futures.add(
              pool.submit(
                  () -> {
                    for (int c = 0; c < commitsEach; c++) {
                      Table table = catalog.load(id);
                      RecordAppender.append(
                          table, List.of(telemetryRow(table.schema(), device, c)));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(new TableStats(other.catalog()).totalRecords(id)).isEqualTo(writers * commitsEach);
    }
  }

  @Test
  void addsColumnsThatAnOlderTableLacks() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      Schema old =
          new Schema(
              IronlakeTables.ENERGY
                  .schema()
                  .columns()
                  .subList(0, 6)
                  .toArray(Types.NestedField[]::new));
      lake.catalog().dropTable(IronlakeTables.ENERGY.identifier(), true);
      lake.catalog().createTable(IronlakeTables.ENERGY.identifier(), old);

      assertThat(lake.createMissingTables()).isEmpty();

      Table evolved = lake.load(IronlakeTables.ENERGY.identifier());
      assertThat(evolved.schema().columns())
          .extracting(Types.NestedField::name)
          .containsSubsequence("energy_kwh", "readings", "meter_resets", "source")
          .endsWith("deviation_kwh", "deviation_pct", "rules_version");
    }
  }

  @Test
  void indicatorTablesOfAnOlderBuildGetTheRulesVersionColumnAndKeepTheirRows() throws Exception {
    List<TableIdentifier> indicators =
        List.of(
            IronlakeTables.ENERGY.identifier(),
            IronlakeTables.ENERGY_SHIFT.identifier(),
            IronlakeTables.ENERGY_DEMAND.identifier(),
            IronlakeTables.ENERGY_PEAK.identifier(),
            IronlakeTables.SPC.identifier(),
            IronlakeTables.OEE.identifier(),
            IronlakeTables.ALARMS.identifier(),
            IronlakeTables.ALARM_RATE.identifier(),
            IronlakeTables.DATA_QUALITY.identifier());
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      for (TableIdentifier id : indicators) {
        Schema now = lake.load(id).schema();
        assertThat(now.findField("rules_version")).as("%s", id).isNotNull();
        Schema old =
            new Schema(
                now.columns().stream().filter(c -> !c.name().equals("rules_version")).toList());
        lake.catalog().dropTable(id, true);
        lake.catalog().createTable(id, old);
      }
      // One alarm_rate row written by the older build.
      Table oldRate = lake.load(IronlakeTables.ALARM_RATE.identifier());
      OffsetDateTime start = OffsetDateTime.of(2025, 3, 4, 8, 0, 0, 0, ZoneOffset.UTC);
      RecordAppender.append(oldRate, List.of(rateRow(oldRate.schema(), start, null)));

      assertThat(lake.createMissingTables()).isEmpty();

      for (TableIdentifier id : indicators) {
        Types.NestedField column = lake.load(id).schema().findField("rules_version");
        assertThat(column).as("%s", id).isNotNull();
        assertThat(column.isOptional()).isTrue();
        assertThat(column.type()).isEqualTo(Types.LongType.get());
      }
      Table rate = lake.load(IronlakeTables.ALARM_RATE.identifier());
      RecordAppender.append(rate, List.of(rateRow(rate.schema(), start.plusMinutes(10), 3L)));
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(rate).build()) {
        it.forEach(rows::add);
      }
      assertThat(rows)
          .extracting(r -> r.getField("window_start"), r -> r.getField("rules_version"))
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(start, null),
              org.assertj.core.groups.Tuple.tuple(start.plusMinutes(10), 3L));
    }
  }

  private static Record rateRow(Schema schema, OffsetDateTime start, Long rulesVersion) {
    GenericRecord r = GenericRecord.create(schema);
    r.setField("site", "plant-sh");
    r.setField("area", "assembly");
    r.setField("line", "line-1");
    r.setField("window_start", start);
    r.setField("window_end", start.plusMinutes(10));
    r.setField("alarms", 12);
    r.setField("threshold", 10);
    r.setField("flood", true);
    if (rulesVersion != null) {
      r.setField("rules_version", rulesVersion);
    }
    return r;
  }

  @Test
  void refusesPropertiesWithoutACatalogImplementation() {
    assertThatThrownBy(() -> LakehouseCatalog.open(Map.of("uri", "jdbc:sqlite:x.db")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid catalog properties: neither catalog-impl nor type is set");
    assertThatThrownBy(() -> LakehouseCatalog.open(Map.of("type", "mystery")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid value mystery for catalog property type");
  }

  @Test
  void propertiesNameTheImplementationForFlink() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      assertThat(lake.properties())
          .containsEntry("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
          .containsEntry("jdbc.journal_mode", "WAL")
          .doesNotContainKey("type")
          .containsKeys("uri", "warehouse");
      assertThat(lake.catalogImpl()).isEqualTo("org.apache.iceberg.jdbc.JdbcCatalog");
    }
  }

  private static Record telemetryRow(Schema schema, String device, long seq) {
    GenericRecord row = GenericRecord.create(schema);
    OffsetDateTime ts = OffsetDateTime.of(2025, 3, 4, 5, 6, 7, 123_456_000, ZoneOffset.UTC);
    row.setField("site", "plant-sh");
    row.setField("area", "stamping");
    row.setField("line", "line-1");
    row.setField("device", device);
    row.setField("tag", "power_kw");
    row.setField("ts", ts.plusSeconds(seq));
    row.setField("ingest_ts", ts.plusSeconds(seq).plusNanos(5_000_000));
    row.setField("value_double", 12.5 + seq);
    row.setField("quality", "GOOD");
    row.setField("status_code", 0L);
    row.setField("unit", "kW");
    row.setField("collector_id", "edge-1");
    row.setField("source", "opcua-1");
    row.setField("seq", seq);
    return row;
  }

  private static List<String> columns(Schema schema) {
    return schema.columns().stream()
        .map(f -> f.name() + " " + f.type() + " " + (f.isRequired() ? "required" : "optional"))
        .toList();
  }

  private static void assertFormatV2ParquetZstd(Table table) {
    assertThat(
            ((org.apache.iceberg.HasTableOperations) table).operations().current().formatVersion())
        .isEqualTo(2);
    assertThat(table.properties())
        .containsEntry("write.format.default", "parquet")
        .containsEntry("write.parquet.compression-codec", "zstd");
  }
}
