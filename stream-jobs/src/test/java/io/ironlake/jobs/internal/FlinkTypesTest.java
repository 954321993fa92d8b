package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.energy.EnergyRow;
import io.ironlake.jobs.quality.ChartType;
import io.ironlake.jobs.quality.OeeRow;
import io.ironlake.jobs.quality.OeeState;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.quality.SpcRow;
import io.ironlake.jobs.quality.SpcState;
import io.ironlake.jobs.safety.AlarmCommand;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmLifecycleFunction;
import io.ironlake.jobs.safety.AlarmRateRow;
import io.ironlake.jobs.safety.AlarmState;
import io.ironlake.jobs.safety.AlarmType;
import io.ironlake.jobs.safety.Priority;
import io.ironlake.jobs.safety.SafetyJob;
import io.ironlake.jobs.safety.TagAlarmState;
import io.ironlake.lakehouse.tables.IronlakeTables;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.junit.jupiter.api.Test;

class FlinkTypesTest {
  @Test
  void telemetryPointsRoundTripThroughTheirSerializer() throws Exception {
    TypeInformation<TelemetryPoint> info = TelemetryPointTypeInfo.INSTANCE;
    var serializer = info.createSerializer(new SerializerConfigImpl());
    for (PointValue value :
        List.of(PointValue.of(1.5), PointValue.of(7L), PointValue.of(true), PointValue.of("run"))) {
      TelemetryPoint p =
          new TelemetryPoint(
              "s",
              "a",
              "l",
              "d",
              "t",
              10L,
              11L,
              value,
              Quality.UNCERTAIN,
              0x40000000L,
              "u",
              "c",
              "src",
              42L);
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(p, out);
      DataOutputSerializer copied = new DataOutputSerializer(64);
      serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
      assertThat(serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
          .isEqualTo(p);
    }
  }

  @Test
  void recordsInStateAndStreamsArePojosNotKryo() {
    for (Class<?> type :
        List.of(
            EnergyRow.class,
            io.ironlake.jobs.energy.EnergyDeviceState.class,
            io.ironlake.jobs.energy.EnergyWindow.class,
            io.ironlake.jobs.energy.EnergyTotals.class,
            io.ironlake.jobs.energy.EnergyShiftRow.class,
            io.ironlake.jobs.energy.EnergyDemandRow.class,
            io.ironlake.jobs.energy.EnergyPeakRow.class)) {
      assertThat(TypeInformation.of(type))
          .as(type.getSimpleName())
          .isInstanceOf(PojoTypeInfo.class);
    }
  }

  @Test
  void qualityAndSafetyRecordsArePojosAllTheWayDown() {
    for (Class<?> type :
        List.of(
            SpcState.class,
            SpcRow.class,
            OeeState.class,
            OeeRow.class,
            TagAlarmState.class,
            AlarmEvent.class,
            AlarmCommand.class,
            AlarmRateRow.class,
            AlarmLifecycleFunction.Occurrence.class,
            io.ironlake.jobs.dataquality.DataQualityRow.class,
            io.ironlake.jobs.dataquality.CompletenessRow.class,
            io.ironlake.jobs.dataquality.SeqMark.class,
            io.ironlake.jobs.late.LatePoint.class)) {
      TypeInformation<?> info = TypeInformation.of(type);
      assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
      PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
      for (int i = 0; i < pojo.getArity(); i++) {
        assertThat(pojo.getTypeAt(i))
            .as("%s.%s", type.getSimpleName(), pojo.getPojoFieldAt(i).getField().getName())
            .isNotInstanceOf(GenericTypeInfo.class);
      }
    }
  }

  @Test
  void qualityAndSafetyRowMappersFitTheirTables() {
    SpcRow spc =
        new SpcRow(
            "s",
            "a",
            "l",
            "d",
            "dia",
            ChartType.XBAR_R,
            1,
            0,
            1,
            5,
            12,
            0.02,
            0.01,
            12,
            12.1,
            11.9,
            0.02,
            0.04,
            0,
            "BASELINE",
            11.95,
            12.05,
            Double.NaN,
            1.5,
            25,
            "1,5",
            false,
            false);
    OeeRow oee =
        new OeeRow(
            "s",
            "a",
            "l",
            null,
            OeeRow.LINE,
            "A",
            0,
            1,
            0.9,
            Double.NaN,
            0.95,
            Double.NaN,
            95,
            100,
            3000,
            600,
            0,
            0,
            Double.NaN,
            Double.NaN,
            2);
    AlarmEvent alarm =
        AlarmEvent.of(
            "s",
            "a",
            "l",
            "d",
            "t",
            AlarmType.FROZEN,
            Priority.LOW,
            AlarmState.RAISED,
            1,
            Double.NaN,
            5,
            5,
            "m");
    AlarmRateRow rate = new AlarmRateRow("s", "a", "l", 0, 600_000_000L, 11, 10, true);
    readsBack(IronlakeTables.SPC, QualityJob.toRow(spc));
    readsBack(IronlakeTables.OEE, QualityJob.toRow(oee));
    readsBack(IronlakeTables.ALARMS, SafetyJob.toRow(alarm));
    readsBack(IronlakeTables.ALARM_RATE, SafetyJob.toRow(rate));
    readsBack(
        IronlakeTables.DATA_QUALITY,
        io.ironlake.jobs.dataquality.DataQualityJob.toRow(
            new io.ironlake.jobs.dataquality.DataQualityRow(
                "s", "a", "l", "d", "t", 0, 1, 3, 4, 0.75, 1.0, 2.0, 3.0, 1, 1, 0, 0, 0, 1, 0,
                false, 92.5)));
    readsBack(
        IronlakeTables.COMPLETENESS,
        io.ironlake.jobs.dataquality.DataQualityJob.toRow(
            new io.ironlake.jobs.dataquality.CompletenessRow("c", "s", 0, 1, 5, 9, 4, 1, "7")));
    RowData spcRow = QualityJob.toRow(spc);
    assertThat(spcRow.isNullAt(22)).as("cp NaN is null").isTrue();
    assertThat(spcRow.getString(25).toString()).isEqualTo("1,5");
    RowData oeeRow = QualityJob.toRow(oee);
    assertThat(oeeRow.isNullAt(3)).as("device of a LINE row").isTrue();
    assertThat(oeeRow.getLong(14)).as("scrap").isEqualTo(5L);
    assertThat(oeeRow.getDouble(20)).as("planned production").isEqualTo(3600.0);
    assertThat(SafetyJob.toRow(alarm).isNullAt(10)).as("no limit").isTrue();
  }

  /** Every column reads back with the getter of its declared type (a wrong type would throw). */
  private static void readsBack(io.ironlake.lakehouse.tables.TableSpec table, RowData row) {
    RowType type = FlinkSchemaUtil.convert(table.schema());
    assertThat(row.getArity()).as(table.name()).isEqualTo(type.getFieldCount());
    for (int i = 0; i < type.getFieldCount(); i++) {
      Object v = RowData.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row);
      if (!type.getTypeAt(i).isNullable()) {
        assertThat(v).as("%s.%s", table.name(), type.getFieldNames().get(i)).isNotNull();
      }
    }
  }

  @Test
  void rowMappersFollowTheTableColumns() {
    RowType telemetry = FlinkSchemaUtil.convert(IronlakeTables.TELEMETRY.schema());
    assertThat(telemetry.getFieldCount()).isEqualTo(TelemetryRowMapper.ARITY);
    TelemetryPoint p =
        new TelemetryPoint(
            "s",
            "a",
            "l",
            "d",
            "t",
            1_500L,
            2_000L,
            PointValue.of(3L),
            Quality.GOOD,
            0L,
            "kW",
            "c",
            "src",
            9L);
    RowData row = new TelemetryRowMapper().map(p);
    assertThat(row.getArity()).isEqualTo(telemetry.getFieldCount());
    assertThat(telemetry.getFieldNames().get(8)).isEqualTo("value_long");
    assertThat(row.getLong(8)).isEqualTo(3L);
    assertThat(row.isNullAt(7)).isTrue();
    assertThat(row.getTimestamp(5, 6).toInstant().toString())
        .isEqualTo("1970-01-01T00:00:00.001500Z");
    assertThat(telemetry.getFieldNames().get(16)).isEqualTo("seq");

    RowType energy = FlinkSchemaUtil.convert(IronlakeTables.ENERGY.schema());
    RowData e =
        io.ironlake.jobs.energy.EnergyJob.toRow(
            new EnergyRow("s", "a", "l", "d", 0L, 60_000_000L, 1.25, 3, 1));
    assertThat(e.getArity()).isEqualTo(energy.getFieldCount());
    assertThat(energy.getFieldNames().get(6)).isEqualTo("energy_kwh");
    assertThat(e.getDouble(6)).isEqualTo(1.25);
    assertThat(e.getInt(8)).isEqualTo(1);
    assertThat(e.getString(9).toString()).isEqualTo("METER");
    assertThat(e.isNullAt(17)).as("co2e unknown").isTrue();
    readsBack(IronlakeTables.ENERGY, e);
  }

  @Test
  void energyRowMappersFitTheirTables() {
    RowData minute =
        io.ironlake.jobs.energy.EnergyTableRows.toRow(
            new EnergyRow(
                "s",
                "a",
                "l",
                "d",
                0L,
                60_000_000L,
                2.0,
                3,
                0,
                "POWER",
                1,
                4,
                1,
                1.5,
                0.5,
                4L,
                0.5,
                1.0,
                2.5,
                -0.5,
                -20.0));
    readsBack(IronlakeTables.ENERGY, minute);
    assertThat(minute.getDouble(17)).as("co2e_kg").isEqualTo(1.0);
    assertThat(minute.getLong(15)).as("good_parts").isEqualTo(4L);
    RowData shift =
        io.ironlake.jobs.energy.EnergyTableRows.toRow(
            new io.ironlake.jobs.energy.EnergyShiftRow(
                "LINE",
                "s",
                "a",
                "l",
                null,
                "A",
                0L,
                3_600_000_000L,
                9.0,
                6.0,
                3.0,
                3L,
                3.0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                60,
                2));
    readsBack(IronlakeTables.ENERGY_SHIFT, shift);
    assertThat(shift.isNullAt(3)).as("device of a LINE row").isTrue();
    assertThat(shift.isNullAt(13)).as("co2e unknown").isTrue();
    RowData demand =
        io.ironlake.jobs.energy.EnergyTableRows.toRow(
            new io.ironlake.jobs.energy.EnergyDemandRow(
                "DEVICE", "s", "a", "l", "d", 0L, 900_000_000L, 2.5, 10.0, 15));
    readsBack(IronlakeTables.ENERGY_DEMAND, demand);
    assertThat(demand.getDouble(8)).isEqualTo(10.0);
    RowData peak =
        io.ironlake.jobs.energy.EnergyTableRows.toRow(
            new io.ironlake.jobs.energy.EnergyPeakRow(
                "DEVICE", "s", "a", "l", "d", 20_151L, 0L, 86_400_000_000L, 10.0, 0L, 96));
    readsBack(IronlakeTables.ENERGY_PEAK, peak);
    assertThat(peak.getInt(5)).as("day").isEqualTo(20_151);
  }
}
