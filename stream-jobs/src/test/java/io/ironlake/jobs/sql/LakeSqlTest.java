package io.ironlake.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.RecordAppender;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeSqlTest {
  @TempDir static Path dataDir;

  private static final OffsetDateTime T0 =
      OffsetDateTime.of(2025, 3, 4, 8, 0, 0, 0, ZoneOffset.UTC);

  @BeforeAll
  static void fillEnergyTable() {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      lake.createMissingTables();
      Table energy = lake.load(IronlakeTables.ENERGY.identifier());
      List<Record> rows = new ArrayList<>();
      rows.add(energyRow(energy, "press-1", 0, 1.5, 4));
      rows.add(energyRow(energy, "press-1", 1, 2.0, 4));
      rows.add(energyRow(energy, "oven-2", 0, 0.25, 3));
      RecordAppender.append(energy, rows);
    }
  }

  @Test
  void aggregateQueryReturnsColumnsAndRows() {
    QueryResult result =
        LakeSql.query(
            dataDir,
            "SELECT device, sum(energy_kwh) AS kwh, count(*) AS windows "
                + "FROM ironlake.energy GROUP BY device ORDER BY device;");

    assertThat(result.columns()).containsExactly("device", "kwh", "windows");
    assertThat(result.rows())
        .containsExactly(List.of("oven-2", 0.25, 1L), List.of("press-1", 3.5, 2L));
  }

  @Test
  void selectStarGivesEveryColumnWithTimestampsAsInstants() {
    QueryResult result = LakeSql.query(dataDir, "SELECT * FROM energy WHERE device = 'oven-2'", 10);

    assertThat(result.columns())
        .containsExactly(
            "site",
            "area",
            "line",
            "device",
            "window_start",
            "window_end",
            "energy_kwh",
            "readings",
            "meter_resets",
            "source",
            "meter_rollovers",
            "power_readings",
            "power_gaps",
            "producing_kwh",
            "idle_kwh",
            "good_parts",
            "kwh_per_good_part",
            "co2e_kg",
            "baseline_kwh",
            "deviation_kwh",
            "deviation_pct",
            "rules_version");
    List<Object> unset = java.util.Collections.nCopies(13, null);
    List<Object> expected = new ArrayList<>();
    expected.addAll(
        List.of(
            "plant-sh",
            "stamping",
            "line-1",
            "oven-2",
            Instant.parse("2025-03-04T08:00:00Z"),
            Instant.parse("2025-03-04T08:01:00Z"),
            0.25,
            3,
            0));
    expected.addAll(unset); // the columns added later are null in rows that did not set them
    assertThat(result.rows()).containsExactly(expected);
  }

  @Test
  void showTablesListsTheLakehouseTables() {
    QueryResult result = LakeSql.query(dataDir, "SHOW TABLES");
    assertThat(result.rows())
        .containsExactly(
            List.of("alarm_rate"),
            List.of("alarms"),
            List.of("completeness"),
            List.of("data_quality"),
            List.of("energy"),
            List.of("energy_demand"),
            List.of("energy_peak"),
            List.of("energy_shift"),
            List.of("late_points"),
            List.of("oee"),
            List.of("spc"),
            List.of("telemetry"));
  }

  @Test
  void maxRowsCapsTheResult() {
    assertThat(LakeSql.query(dataDir, "SELECT device FROM ironlake.energy", 2).rows()).hasSize(2);
  }

  @Test
  void badSqlGivesAClearError() {
    assertThatThrownBy(() -> LakeSql.query(dataDir, "SELEC device FROM ironlake.energy"))
        .isInstanceOf(LakeSqlException.class)
        .hasMessageStartingWith("Cannot run query: ")
        .hasMessageContaining("SQL parse failed");
  }

  @Test
  void unknownTableGivesAClearError() {
    assertThatThrownBy(() -> LakeSql.query(dataDir, "SELECT * FROM ironlake.nope"))
        .isInstanceOf(LakeSqlException.class)
        .hasMessageStartingWith("Cannot run query: ")
        .hasMessageContaining("not found")
        .hasMessageEndingWith(
            "(tables: ironlake.alarm_rate, ironlake.alarms, ironlake.completeness,"
                + " ironlake.data_quality, ironlake.energy, ironlake.energy_demand,"
                + " ironlake.energy_peak, ironlake.energy_shift, ironlake.late_points, ironlake.oee,"
                + " ironlake.spc, ironlake.telemetry)");
  }

  @Test
  void catalogDdlQuotesValuesAndUsesTheSharedName() {
    assertThat(LakeSql.createCatalogDdl(Map.of("uri", "jdbc:x", "note", "it's")))
        .isEqualTo(
            "CREATE CATALOG ironlake WITH ('type'='iceberg', 'default-database'='ironlake',"
                + " 'note'='it''s', 'uri'='jdbc:x')");
  }

  private static Record energyRow(
      Table table, String device, int minute, double kwh, int readings) {
    GenericRecord r = GenericRecord.create(table.schema());
    r.setField("site", "plant-sh");
    r.setField("area", "stamping");
    r.setField("line", "line-1");
    r.setField("device", device);
    r.setField("window_start", T0.plusMinutes(minute));
    r.setField("window_end", T0.plusMinutes(minute + 1));
    r.setField("energy_kwh", kwh);
    r.setField("readings", readings);
    r.setField("meter_resets", 0);
    return r;
  }
}
